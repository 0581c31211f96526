"""The one clinical vocabulary, tested against the anatomy texts it cites (not against its own tables).

Each expectation below restates a fact of the source in the test's own words, so a wrong entry in the
vocabulary's data fails here. The completeness tests then require every accepted form to be one of these
facts: nothing in the vocabulary goes untested.
"""

from __future__ import annotations

import pytest

from alsdx.model import vocabulary
from alsdx.model.muscles import muscle_table
from alsdx.model.vocabulary import VocabularyError

# --- Nerves: (written, trunk, the fact it rests on) --------------------------------------------------------
NERVE_FACTS = [
    # Gray's Anatomy 42nd ed.: the common fibular (peroneal) nerve divides at the fibular neck into the deep
    # and superficial fibular nerves; "fibular" is the Terminologia Anatomica name of "peroneal".
    ("peroneal", "peroneal", "Gray's: trunk"),
    ("fibular", "peroneal", "Gray's: fibular = peroneal"),
    ("common peroneal", "peroneal", "Gray's: common fibular nerve"),
    ("common fibular", "peroneal", "Gray's: common fibular nerve"),
    ("deep peroneal", "peroneal", "Gray's: deep fibular = branch of the common fibular"),
    ("deep fibular", "peroneal", "Gray's: deep fibular = branch of the common fibular"),
    ("superficial peroneal", "peroneal", "Gray's: superficial fibular = branch of the common fibular"),
    ("superficial fibular", "peroneal", "Gray's: superficial fibular = branch of the common fibular"),
    # Preston & Shapiro: the anterior interosseous nerve is a pure motor branch of the median nerve (FPL,
    # FDP 2-3, pronator quadratus); the posterior interosseous nerve is the deep motor branch of the radial.
    ("anterior interosseous", "median", "P&S: AIN from median"),
    ("ain", "median", "P&S: AIN abbreviation"),
    ("median", "median", "trunk"),
    ("posterior interosseous", "radial", "P&S: PIN from radial"),
    ("pin", "radial", "P&S: PIN abbreviation"),
    ("deep radial", "radial", "Gray's: deep branch of the radial = PIN"),
    ("deep branch radial", "radial", "Gray's: deep branch of the radial"),
    ("radial", "radial", "trunk"),
    # Preston & Shapiro: the deep (motor) branch of the ulnar nerve supplies FDI and the interossei.
    ("deep ulnar", "ulnar", "P&S: deep motor branch of the ulnar"),
    ("deep branch ulnar", "ulnar", "P&S: deep motor branch of the ulnar"),
    ("ulnar", "ulnar", "trunk"),
    # Gray's: the tibial nerve ends as the medial and lateral plantar nerves; "posterior tibial" is the older
    # name of the tibial nerve at the ankle (Preston & Shapiro, tarsal tunnel).
    ("posterior tibial", "tibial", "P&S: posterior tibial = tibial"),
    ("medial plantar", "tibial", "Gray's: terminal branch of the tibial"),
    ("lateral plantar", "tibial", "Gray's: terminal branch of the tibial"),
    ("tibial", "tibial", "trunk"),
    # Gray's: cranial nerves by number; the mandibular division of the trigeminal (V3) supplies the masseter
    # (masseteric nerve) and temporalis.
    ("cn v", "trigeminal", "Gray's: CN V = trigeminal"),
    ("mandibular", "trigeminal", "Gray's: V3 motor root"),
    ("mandibular division", "trigeminal", "Gray's: V3"),
    ("masseteric", "trigeminal", "Gray's: masseteric nerve from V3"),
    ("trigeminal", "trigeminal", "trunk"),
    ("cn vii", "facial", "Gray's: CN VII = facial"),
    ("facial", "facial", "trunk"),
    ("cn ix", "glossopharyngeal", "Gray's: CN IX"),
    ("glossopharyngeal", "glossopharyngeal", "trunk"),
    ("cn x", "vagus", "Gray's: CN X"),
    ("vagus", "vagus", "trunk"),
    ("cn xi", "spinal_accessory", "Gray's: CN XI = (spinal) accessory nerve"),
    ("accessory", "spinal_accessory", "Gray's: accessory nerve"),
    ("spinal accessory", "spinal_accessory", "Gray's: spinal accessory"),
    ("spinal_accessory", "spinal_accessory", "trunk"),
    ("cn xii", "hypoglossal", "Gray's: CN XII = hypoglossal"),
    ("hypoglossal", "hypoglossal", "trunk"),
    # Gray's: the 7th-11th intercostal nerves continue into the abdominal wall as the thoracoabdominal nerves;
    # the subcostal nerve (T12) runs with them.
    ("intercostal", "thoracoabdominal", "Gray's: intercostal -> thoracoabdominal"),
    ("intercostals", "thoracoabdominal", "Gray's"),
    ("subcostal", "thoracoabdominal", "Gray's: T12 subcostal"),
    ("thoracoabdominal intercostal", "thoracoabdominal", "Gray's"),
    ("thoracoabdominal", "thoracoabdominal", "trunk"),
    # Gray's: the deep back (paraspinal) muscles are supplied by the dorsal (posterior) rami.
    ("posterior ramus", "dorsal_ramus", "Gray's: posterior ramus = dorsal ramus"),
    ("dorsal rami", "dorsal_ramus", "Gray's"),
    ("posterior rami", "dorsal_ramus", "Gray's"),
    ("dorsal primary ramus", "dorsal_ramus", "Gray's"),
    ("posterior primary ramus", "dorsal_ramus", "Gray's"),
    ("dorsal_ramus", "dorsal_ramus", "trunk"),
    # MRC Aids: the axillary nerve is also called the circumflex nerve; other trunks by their own names.
    ("circumflex", "axillary", "MRC Aids: circumflex = axillary"),
    ("axillary", "axillary", "trunk"),
    ("phrenic", "phrenic", "trunk"),
    ("dorsal scapular", "dorsal_scapular", "trunk"),
    ("long thoracic", "long_thoracic", "trunk"),
    ("suprascapular", "suprascapular", "trunk"),
    ("musculocutaneous", "musculocutaneous", "trunk"),
    ("thoracodorsal", "thoracodorsal", "trunk"),
    ("femoral", "femoral", "trunk"),
    ("obturator", "obturator", "trunk"),
    ("superior gluteal", "superior_gluteal", "trunk"),
    ("inferior gluteal", "inferior_gluteal", "trunk"),
    ("sciatic", "sciatic", "trunk"),
]


@pytest.mark.parametrize(("written", "trunk", "fact"), NERVE_FACTS, ids=[f[0] for f in NERVE_FACTS])
def test_nerve_reads_as_its_trunk(written: str, trunk: str, fact: str) -> None:
    assert vocabulary.nerve(written) == trunk, fact


def test_every_accepted_nerve_form_is_a_fact_tested_above() -> None:
    tested = {vocabulary._nerve_key(w) for w, _, _ in NERVE_FACTS}
    assert set(vocabulary.nerve_forms()) == tested


@pytest.mark.parametrize(
    ("written", "trunk"),
    [
        ("Deep Peroneal", "peroneal"),
        ("deep_peroneal", "peroneal"),
        ("deep-peroneal nerve", "peroneal"),
        ("Fibular Nerve", "peroneal"),
        ("Ulnar", "ulnar"),
        ("ULNAR N.", "ulnar"),
        ("deep branch of the ulnar nerve", "ulnar"),
        ("posterior-interosseous", "radial"),
        ("CN XI", "spinal_accessory"),
        ("cn 11", "spinal_accessory"),
        ("cranial nerve XII", "hypoglossal"),
        ("CN12", "hypoglossal"),
        ("cn_v", "trigeminal"),
        ("CN 7", "facial"),
    ],
)
def test_nerve_names_ignore_case_spaces_hyphens_and_the_word_nerve(written: str, trunk: str) -> None:
    assert vocabulary.nerve(written) == trunk


def test_unknown_nerve_is_refused_with_the_nearest_name() -> None:
    with pytest.raises(VocabularyError) as info:
        vocabulary.nerve("ulner")
    message = str(info.value)
    assert "'ulner'" in message and "did you mean 'ulnar'?" in message
    with pytest.raises(VocabularyError, match="deep peroneal or anterior interosseous are read as their trunk"):
        vocabulary.nerve("zzz")


def test_the_muscle_tables_nerves_are_canonical_trunks() -> None:
    for m in muscle_table().values():
        assert vocabulary.nerve(m.nerve) == m.nerve, m.name


# --- Muscles: (written, table muscle, nerve trunk, roots) from Preston & Shapiro / MRC Aids / Gray's --------
MUSCLE_FACTS = [
    # Preston & Shapiro's needle-EMG abbreviations, with the muscle's nerve and principal roots.
    ("fdi", "first_dorsal_interosseous", "ulnar", ("C8", "T1")),
    ("1st dorsal interosseous", "first_dorsal_interosseous", "ulnar", ("C8", "T1")),
    ("first dorsal interosseus", "first_dorsal_interosseous", "ulnar", ("C8", "T1")),
    ("dorsal interosseous 1", "first_dorsal_interosseous", "ulnar", ("C8", "T1")),
    ("apb", "abductor_pollicis_brevis", "median", ("C8", "T1")),
    ("adm", "abductor_digiti_minimi", "ulnar", ("C8", "T1")),
    ("adq", "abductor_digiti_minimi", "ulnar", ("C8", "T1")),
    ("abductor digiti quinti", "abductor_digiti_minimi", "ulnar", ("C8", "T1")),
    ("edc", "extensor_digitorum_communis", "radial", ("C7", "C8")),
    ("extensor digitorum", "extensor_digitorum_communis", "radial", ("C7", "C8")),
    ("fcu", "flexor_carpi_ulnaris", "ulnar", ("C7", "C8", "T1")),
    ("fcr", "flexor_carpi_radialis", "median", ("C6", "C7")),
    ("fpl", "flexor_pollicis_longus", "median", ("C7", "C8")),
    ("fdp 2 3", "flexor_digitorum_profundus_median", "median", ("C7", "C8", "T1")),
    ("fdp ii iii", "flexor_digitorum_profundus_median", "median", ("C7", "C8", "T1")),
    ("fdp 4 5", "flexor_digitorum_profundus_ulnar", "ulnar", ("C7", "C8", "T1")),
    ("fdp iv v", "flexor_digitorum_profundus_ulnar", "ulnar", ("C7", "C8", "T1")),
    ("eip", "extensor_indicis", "radial", ("C7", "C8")),
    ("extensor indicis proprius", "extensor_indicis", "radial", ("C7", "C8")),
    ("ecr", "extensor_carpi_radialis", "radial", ("C6", "C7")),
    ("ecrl", "extensor_carpi_radialis", "radial", ("C6", "C7")),
    ("extensor carpi radialis longus", "extensor_carpi_radialis", "radial", ("C6", "C7")),
    ("pt", "pronator_teres", "median", ("C6", "C7")),
    ("br", "brachioradialis", "radial", ("C5", "C6")),
    ("biceps", "biceps_brachii", "musculocutaneous", ("C5", "C6")),
    ("triceps", "triceps_brachii", "radial", ("C6", "C7", "C8")),
    ("delt", "deltoid", "axillary", ("C5", "C6")),
    ("middle deltoid", "deltoid", "axillary", ("C5", "C6")),
    ("anterior deltoid", "deltoid", "axillary", ("C5", "C6")),
    ("lat dorsi", "latissimus_dorsi", "thoracodorsal", ("C6", "C7", "C8")),
    ("rhomboid", "rhomboid_major", "dorsal_scapular", ("C4", "C5")),
    ("rhomboids", "rhomboid_major", "dorsal_scapular", ("C4", "C5")),
    ("ta", "tibialis_anterior", "peroneal", ("L4", "L5")),
    ("tib ant", "tibialis_anterior", "peroneal", ("L4", "L5")),
    ("anterior tibialis", "tibialis_anterior", "peroneal", ("L4", "L5")),
    ("ehl", "extensor_hallucis_longus", "peroneal", ("L5", "S1")),
    ("edb", "extensor_digitorum_brevis", "peroneal", ("L5", "S1")),
    ("pl", "peroneus_longus", "peroneal", ("L5", "S1")),
    ("per long", "peroneus_longus", "peroneal", ("L5", "S1")),
    ("fibularis longus", "peroneus_longus", "peroneal", ("L5", "S1")),
    ("tp", "tibialis_posterior", "tibial", ("L5", "S1")),
    ("tib post", "tibialis_posterior", "tibial", ("L5", "S1")),
    ("mg", "medial_gastrocnemius", "tibial", ("S1", "S2")),
    ("medial gastroc", "medial_gastrocnemius", "tibial", ("S1", "S2")),
    ("med gastroc", "medial_gastrocnemius", "tibial", ("S1", "S2")),
    ("gastrocnemius medial head", "medial_gastrocnemius", "tibial", ("S1", "S2")),
    ("gastrocnemius medial", "medial_gastrocnemius", "tibial", ("S1", "S2")),
    ("ah", "abductor_hallucis", "tibial", ("S1", "S2")),
    ("vl", "vastus_lateralis", "femoral", ("L2", "L3", "L4")),
    ("vm", "vastus_medialis", "femoral", ("L2", "L3", "L4")),
    ("rf", "rectus_femoris", "femoral", ("L2", "L3", "L4")),
    ("ip", "iliopsoas", "femoral", ("L2", "L3")),
    ("al", "adductor_longus", "obturator", ("L2", "L3", "L4")),
    ("gmed", "gluteus_medius", "superior_gluteal", ("L4", "L5", "S1")),
    ("glut med", "gluteus_medius", "superior_gluteal", ("L4", "L5", "S1")),
    ("gmax", "gluteus_maximus", "inferior_gluteal", ("L5", "S1", "S2")),
    ("glut max", "gluteus_maximus", "inferior_gluteal", ("L5", "S1", "S2")),
    ("bfsh", "biceps_femoris_short_head", "sciatic", ("L5", "S1", "S2")),
    ("short head of biceps femoris", "biceps_femoris_short_head", "sciatic", ("L5", "S1", "S2")),
    ("bflh", "biceps_femoris_long_head", "sciatic", ("L5", "S1", "S2")),
    ("long head of biceps femoris", "biceps_femoris_long_head", "sciatic", ("L5", "S1", "S2")),
    # MRC Aids / Gray's: sternomastoid = sternocleidomastoid (spinal accessory, CN XI); the tongue's EMG
    # muscle is the genioglossus (hypoglossal, CN XII).
    ("scm", "sternocleidomastoid", "spinal_accessory", ("CN XI",)),
    ("sternomastoid", "sternocleidomastoid", "spinal_accessory", ("CN XI",)),
    ("tongue", "genioglossus", "hypoglossal", ("CN XII",)),
    ("rectus abdominus", "rectus_abdominis", "thoracoabdominal", ("T6", "T7", "T8", "T9", "T10", "T11", "T12")),
]


@pytest.mark.parametrize(("written", "muscle", "trunk", "roots"), MUSCLE_FACTS, ids=[f[0] for f in MUSCLE_FACTS])
def test_abbreviation_reads_as_the_table_muscle_of_its_nerve_and_roots(
    written: str, muscle: str, trunk: str, roots: tuple[str, ...]
) -> None:
    reading = vocabulary.muscle(written)
    assert reading.name == muscle and reading.in_table
    table = muscle_table()[muscle]
    assert (table.nerve, table.roots) == (trunk, roots)


def test_every_abbreviation_is_a_fact_tested_above_and_cites_a_source() -> None:
    tested = {vocabulary.fold(w) for w, *_ in MUSCLE_FACTS}
    assert {a.written for a in vocabulary.abbreviations()} == tested
    assert all(a.source in ("PS", "MRC", "GRAY") for a in vocabulary.abbreviations())
    assert all(a.muscle in muscle_table() for a in vocabulary.abbreviations())


@pytest.mark.parametrize(
    ("written", "muscle"),
    [
        ("FDI", "first_dorsal_interosseous"),
        ("First Dorsal Interosseous", "first_dorsal_interosseous"),
        ("first-dorsal-interosseous muscle", "first_dorsal_interosseous"),
        ("Tib Ant", "tibialis_anterior"),
        ("TIBIALIS  ANTERIOR", "tibialis_anterior"),
        ("Medial Gastroc", "medial_gastrocnemius"),
        ("EDC", "extensor_digitorum_communis"),
        ("SCM", "sternocleidomastoid"),
        ("Tongue", "genioglossus"),
        ("VL", "vastus_lateralis"),
        ("FDP 4-5", "flexor_digitorum_profundus_ulnar"),
        ("FDP 2/3", "flexor_digitorum_profundus_median"),
    ],
)
def test_muscle_names_ignore_case_and_spacing(written: str, muscle: str) -> None:
    assert vocabulary.muscle(written).name == muscle


@pytest.mark.parametrize(
    ("written", "muscle", "roots"),
    [
        ("T10 paraspinal", "thoracic_paraspinal", ("T10",)),
        ("paraspinal T10", "thoracic_paraspinal", ("T10",)),
        ("Th10 paraspinals", "thoracic_paraspinal", ("T10",)),
        ("T9-T11 paraspinal", "thoracic_paraspinal", ("T9", "T10", "T11")),
        ("thoracic paraspinal at T8", "thoracic_paraspinal", ("T8",)),
        ("C7 paraspinal", "cervical_paraspinal", ("C7",)),
        ("L5 paraspinal", "lumbosacral_paraspinal", ("L5",)),
        ("S1 paravertebral", "lumbosacral_paraspinal", ("S1",)),
        ("T1 paraspinal", "thoracic_paraspinal", ("T1",)),  # a back muscle at T1 is thoracic, not a hand muscle
        ("thoracic paraspinals", "thoracic_paraspinal", ()),
    ],
)
def test_paraspinal_level_gives_region_and_roots(written: str, muscle: str, roots: tuple[str, ...]) -> None:
    reading = vocabulary.muscle(written)
    assert (reading.name, reading.roots) == (muscle, roots)


def test_fdp_takes_its_part_from_the_nerve_or_is_refused_saying_how_to_write_it() -> None:
    assert vocabulary.muscle("FDP", "AIN").name == "flexor_digitorum_profundus_median"
    assert vocabulary.muscle("flexor digitorum profundus", "ulnar").name == "flexor_digitorum_profundus_ulnar"
    with pytest.raises(VocabularyError) as info:
        vocabulary.muscle("FDP")
    assert "'FDP'" in str(info.value) and "write 'FDP 2-3' or 'FDP 4-5', or give nerve" in str(info.value)


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [
        ("tibialis anterio", "tibialis_anterior"),
        ("first dorsal interoseus", "first_dorsal_interosseous"),
        ("medial gastrocnemus", "medial_gastrocnemius"),
        ("sternocleidomastoideus", "sternocleidomastoid"),
    ],
)
def test_near_miss_muscle_suggests_the_table_name(written: str, suggestion: str) -> None:
    assert vocabulary.muscle_suggestion(written) == suggestion


def test_muscle_refusals_say_what_to_write() -> None:
    with pytest.raises(
        VocabularyError, match=r"'paraspinal': give the paraspinal muscle's level, e\.g\. 'T10 paraspinal'"
    ):
        vocabulary.muscle("paraspinal")
    with pytest.raises(VocabularyError, match=r"'a; b' is not a muscle name: write the muscle in words"):
        vocabulary.muscle("a; b")
    with pytest.raises(VocabularyError, match="span two regions"):
        vocabulary.muscle("C8-L1 paraspinal")


# --- Roots -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "roots"),
    [
        ("C8-T1", ["C8", "T1"]),
        ("C8\u2013T1", ["C8", "T1"]),  # en dash, as word processors write ranges
        ("C8, T1", ["C8", "T1"]),
        ("L4/L5", ["L4", "L5"]),
        ("L4-5", ["L4", "L5"]),
        ("c5 c6", ["C5", "C6"]),
        ("C5-C7", ["C5", "C6", "C7"]),
        ("Th10", ["T10"]),
        ("D10", ["T10"]),  # "dorsal" segments in older European reports
        ("CN 12", ["CN XII"]),
        ("CN XII", ["CN XII"]),
        ("XII", ["CN XII"]),
        ("cranial nerve 7", ["CN VII"]),
        (["C5", "C6-C7"], ["C5", "C6", "C7"]),
        ("L5 and S1", ["L5", "S1"]),
        ("T12-L1", ["T12", "L1"]),
        ("L5-S1", ["L5", "S1"]),
    ],
)
def test_roots_as_emg_reports_write_them(written: str | list[str], roots: list[str]) -> None:
    assert vocabulary.roots(written) == roots


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("C9", "C9 is not a spinal root (C1-C8)"),
        ("S6", "S6 is not a spinal root (S1-S5)"),
        ("T1-C8", "runs backwards; write C8-T1"),
        ("5", "give each root its segment letter"),
        ("CN 8", "cranial nerve 8 has no muscle the criteria count"),
        ("C8-", "a range needs a root on each side"),
        ("CN V-CN VII", "list cranial nerves one by one"),
        ("Q1", "is not a list of roots"),
    ],
)
def test_root_refusals_name_the_value_and_the_accepted_forms(written: str, fragment: str) -> None:
    with pytest.raises(VocabularyError) as info:
        vocabulary.roots(written)
    message = str(info.value)
    assert repr(written) in message and fragment in message
    assert "^" not in message and "[" not in message  # words, never a regular expression


def test_region_roots_follow_the_el_escorial_regions() -> None:
    # Brooks 1994: the cervical region is neck, arm, hand and diaphragm (C1-C8, and T1 for the hand muscles);
    # thoracic the back and abdomen (T1-T12); lumbosacral the back, abdomen, leg and foot (L1-S5).
    assert vocabulary.outside_region(["L4", "L5"], "cervical") == ["L4", "L5"]
    assert vocabulary.outside_region(["C8", "T1"], "cervical") == []
    assert vocabulary.outside_region(["T2"], "cervical") == ["T2"]
    assert vocabulary.outside_region(["CN XII", "C3"], "bulbar") == ["C3"]
    assert vocabulary.outside_region(["T12", "L1"], "lumbosacral") == ["T12"]
    for m in muscle_table().values():  # the shipped table obeys its own regions
        assert vocabulary.outside_region(m.roots, m.region) == [], m.name


# --- Signs, symptoms, sides, sex ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("extensor plantar", "babinski"),  # DeJong: the extensor plantar response is Babinski's sign
        ("Extensor Plantar Response", "babinski"),
        ("upgoing plantar", "babinski"),
        ("Hoffman", "hoffmann"),  # Hoffmann's sign, often spelled with one n
        ("hoffman sign", "hoffmann"),
        ("brisk reflexes", "hyperreflexia"),
        ("wasting", "atrophy"),
        ("muscle wasting", "atrophy"),
        ("fasciculation", "fasciculations"),
        ("areflexia", "hyporeflexia"),  # reduced or absent reflexes: one LMN sign
        ("absent reflexes", "hyporeflexia"),
        ("reduced reflexes", "hyporeflexia"),
        ("brisk jaw jerk", "jaw_jerk"),
        ("crossed adductor reflex", "crossed_adductor"),
        ("emotional lability", "pseudobulbar_affect"),
        ("flaccid", "flaccidity"),
        ("babinski", "babinski"),
        ("Babinski", "babinski"),
    ],
)
def test_sign_synonyms(written: str, code: str) -> None:
    assert vocabulary.sign(written) == code


def test_unknown_sign_is_left_for_the_field_check_to_refuse() -> None:
    assert vocabulary.sign("twitching") == "twitching"
    assert vocabulary.sign(3) == 3


@pytest.mark.parametrize(
    ("reader", "written", "code"),
    [
        (vocabulary.bulbar_symptom, "sialorrhoea", "sialorrhea"),
        (vocabulary.bulbar_symptom, "Drooling", "sialorrhea"),
        (vocabulary.bulbar_symptom, "slurred speech", "dysarthria"),
        (vocabulary.side, "Left", "left"),
        (vocabulary.side, "L", "left"),
        (vocabulary.side, "lt", "left"),
        (vocabulary.side, "R", "right"),
        (vocabulary.side, "Rt", "right"),
        (vocabulary.side, "midline", "midline"),
        (vocabulary.sex, "Male", "male"),
        (vocabulary.sex, "M", "male"),
        (vocabulary.sex, "F", "female"),
        (vocabulary.sex, "Female", "female"),
        (vocabulary.sex, "U", "unknown"),
    ],
)
def test_symptoms_sides_and_sex(reader, written: str, code: str) -> None:  # type: ignore[no-untyped-def]
    assert reader(written) == code
