"""Code columns of a flat batch read through the one clinical vocabulary (``alsdx.model.vocabulary``).

A registry writes ``M``/``Male`` for sex as a case file may; the case model reads them as ``male``, so the
cohort must too. Each column is read once per distinct value (dictionary-encode, map the few distinct
values, keep the indices), never per row in Python. EMG muscle names, nerves, roots and sides are read the
same way inside ``alsdx.columns.arrow_emg``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc

from alsdx.model import vocabulary

READERS: Final[dict[str, Callable[[object], object]]] = {"sex": vocabulary.sex}
"""Top-level code columns with synonyms, and the vocabulary function that reads them."""


def read_vocabulary(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch with each code column of ``READERS`` in canonical codes (other values left as written, for
    the row checks to refuse)."""
    for name, read in READERS.items():
        index = batch.schema.get_field_index(name)
        if index < 0:
            continue
        column = batch.column(index)
        if column.null_count == len(column):
            continue
        encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
        written = encoded.dictionary.cast(pa.string()).to_pylist()
        read_as = [read(v) if isinstance(v, str) else v for v in written]
        if read_as == written:
            continue
        values = pa.array(read_as, pa.string())
        canonical = pc.dictionary_encode(values)  # two spellings of one code become one dictionary entry
        indices = pc.take(canonical.indices, encoded.indices)
        remapped = pa.DictionaryArray.from_arrays(indices.cast(encoded.type.index_type), canonical.dictionary)
        field = batch.schema.field(index)
        batch = batch.set_column(index, field.with_type(remapped.type), remapped)
    return batch
