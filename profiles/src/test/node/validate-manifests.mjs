// Validates Kubernetes manifests against the upstream schemas packaged by kubernetes-models: the
// Kubernetes OpenAPI schemas for built-in kinds, KEDA's and the Prometheus operator's CRD schemas
// for theirs. Reads a JSON array of manifests from the file given as the argument; prints one line
// per problem and exits 1 when there is any. Strimzi's KafkaTopic has no package here: the Java
// side validates it with Strimzi's own API model (ManifestValidator), and it is listed as such.
import { readFileSync } from "node:fs";

const MODULES = {
  "keda.sh": "@kubernetes-models/keda/keda.sh",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator/monitoring.coreos.com",
};
const JAVA_VALIDATED = new Set(["kafka.strimzi.io/v1beta2/KafkaTopic"]);

function modulePath(apiVersion) {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) {
    return `kubernetes-models/${apiVersion}`;
  }
  const group = apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  return `${MODULES[group] ?? `kubernetes-models/${group}`}/${version}`;
}

const manifests = JSON.parse(readFileSync(process.argv[2], "utf8"));
const problems = [];
let validated = 0;
for (const manifest of manifests) {
  const type = `${manifest.apiVersion}/${manifest.kind}`;
  const where = `${type} ${manifest.metadata?.name}`;
  if (JAVA_VALIDATED.has(type)) {
    continue;
  }
  let model;
  try {
    model = (await import(modulePath(manifest.apiVersion)))[manifest.kind];
  } catch (e) {
    model = undefined;
  }
  if (typeof model !== "function") {
    problems.push(`${where}: no upstream schema for this kind`);
    continue;
  }
  try {
    new model(manifest).validate();
    validated++;
  } catch (e) {
    problems.push(`${where}: ${e.message}`);
  }
}
problems.forEach((problem) => console.log(problem));
console.error(`validated ${validated} manifest(s), ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
