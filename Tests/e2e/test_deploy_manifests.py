"""deploy/kubernetes/ (issue 18's manifests): every object valid against the Kubernetes 1.37 schemas
(`kubernetes-validate`, strict: unknown fields are errors) or, for KServe's ClusterServingRuntime and
InferenceService, against KServe's own CRD schemas (schemas/, see SOURCE); and consistent with the Tern they run:
every flag is one `tern serve` takes, the probe paths answer a real server as the probes expect, the
autoscaler's metric is one Tern exports, ports and selectors line up, and the grace period covers the drain."""

import gzip
import re
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

import metrics
import raw_http
from reference import REPO_ROOT
from tern_process import binary_path

DEPLOY = REPO_ROOT / "deploy" / "kubernetes"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
KUBERNETES_VERSION = "1.37.0"
CRDS = {  # kind -> (CRD file, served version)
    "ClusterServingRuntime": ("serving.kserve.io_clusterservingruntimes.yaml.gz", "v1alpha1"),
    "InferenceService": ("serving.kserve.io_inferenceservices.yaml.gz", "v1beta1"),
}


def manifests(folder: Path = DEPLOY) -> dict[str, dict]:
    """Every object of the folder's YAML files (kustomization files aside), by kind."""
    objects = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text()):
            assert document["kind"] not in objects, f"two {document['kind']} objects"
            objects[document["kind"]] = document
    return objects


ALL = {**manifests(), **manifests(DEPLOY / "kserve")}


def crd_schema(kind: str) -> dict:
    name, version = CRDS[kind]
    crd = yaml.safe_load(gzip.decompress((SCHEMAS / name).read_bytes()))
    (served,) = [v for v in crd["spec"]["versions"] if v["name"] == version]
    return served["schema"]["openAPIV3Schema"]


@pytest.mark.parametrize("folder", [DEPLOY, DEPLOY / "kserve"], ids=["tern", "kserve"])
def test_each_kustomization_lists_every_manifest_of_its_folder(folder):
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text())
    listed = set(kustomization["resources"])
    present = {p.name for p in folder.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


@pytest.mark.parametrize("kind", sorted(k for k in ALL if k not in CRDS and k != "ServiceMonitor"))
def test_kubernetes_objects_validate_strictly(kind):
    kubernetes_validate.validate(ALL[kind], KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("kind", sorted(CRDS))
def test_kserve_objects_validate_against_kserves_crds(kind):
    jsonschema.validate(ALL[kind], crd_schema(kind))


def test_a_broken_manifest_is_caught():
    """The validators do reject what they should: an unknown field, a KServe field of the wrong type."""
    deployment = yaml.safe_load((DEPLOY / "deployment.yaml").read_text())
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)
    runtime = dict(ALL["ClusterServingRuntime"], spec=dict(ALL["ClusterServingRuntime"]["spec"], protocolVersions="v2"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(runtime, crd_schema("ClusterServingRuntime"))


def containers():
    return [ALL["Deployment"]["spec"]["template"]["spec"]["containers"][0],
            ALL["ClusterServingRuntime"]["spec"]["containers"][0]]


def test_every_flag_is_one_tern_serve_takes():
    help_text = subprocess.run([str(binary_path()), "serve", "--help"], capture_output=True, text=True).stdout
    for container in containers():
        assert container["args"][0] == "serve"
        for flag in (arg for arg in container["args"] if arg.startswith("--")):
            assert re.search(rf"(^|\s){re.escape(flag)}[\s<]", help_text), f"tern serve has no {flag}"


def test_probes_answer_a_real_server_as_expected(port):
    container = containers()[0]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        path = container[probe]["httpGet"]["path"]
        assert raw_http.request(port, "GET", path).status == 200, f"{probe} {path}"
    assert containers()[1]["readinessProbe"]["httpGet"]["path"] == container["readinessProbe"]["httpGet"]["path"]


def test_the_grace_period_covers_pre_stop_and_drain():
    pod = ALL["Deployment"]["spec"]["template"]["spec"]
    container = pod["containers"][0]
    args = container["args"]
    drain = float(args[args.index("--drain-timeout") + 1])
    pre_stop = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert pod["terminationGracePeriodSeconds"] >= pre_stop + drain + 5


def test_the_autoscaler_metric_is_one_tern_exports(port):
    hpa = ALL["HorizontalPodAutoscaler"]
    (metric,) = hpa["spec"]["metrics"]
    name = metric["pods"]["metric"]["name"]
    assert any(key.split("{")[0] == name for key in metrics.scrape(port)), f"Tern exports no {name}"
    rules = yaml.safe_load(ALL["ConfigMap"]["data"]["config.yaml"])["rules"]
    assert any(rule["name"]["as"] == name and name in rule["seriesQuery"] for rule in rules)
    assert hpa["spec"]["scaleTargetRef"]["name"] == ALL["Deployment"]["metadata"]["name"]


def test_ports_and_selectors_line_up():
    deployment, service, monitor = ALL["Deployment"], ALL["Service"], ALL["ServiceMonitor"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    for selector in (deployment["spec"]["selector"]["matchLabels"], service["spec"]["selector"],
                     ALL["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"]):
        assert selector.items() <= labels.items()
    named = {p["name"]: p["containerPort"] for p in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]}
    args = containers()[0]["args"]
    assert named["http"] == int(args[args.index("--port") + 1])
    assert named["grpc"] == int(args[args.index("--grpc-port") + 1])
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= set(named)
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    assert {e["port"] for e in monitor["spec"]["endpoints"]} <= {p["name"] for p in service["spec"]["ports"]}
    assert ALL["InferenceService"]["spec"]["predictor"]["model"]["runtime"] == ALL["ClusterServingRuntime"]["metadata"]["name"]
