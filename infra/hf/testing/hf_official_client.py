"""Drives huggingface_hub's Inference Endpoints client against the fake API; one JSON line per step.

Usage: hf_official_client.py API_BASE NAMESPACE NAME SCENARIO [IMAGE...]; the token is in HF_TOKEN.
"""

import json
import sys

from huggingface_hub import HfApi, constants
from huggingface_hub.errors import HfHubHTTPError, InferenceEndpointError, InferenceEndpointTimeoutError

api_base, namespace, name, scenario, *images = sys.argv[1:]
# The client reads this constant on every call: the one way to point it elsewhere.
constants.INFERENCE_ENDPOINTS_ENDPOINT = api_base
api = HfApi()
POLL = 0.01


def report(step, endpoint=None, **extra):
    seen = {"step": step, **extra}
    if endpoint is not None:
        seen.update(state=endpoint.status, url=endpoint.url, healthRoute=endpoint.health_route,
                    image=endpoint.raw["model"]["image"], env=endpoint.raw["model"].get("env"))
    print(json.dumps(seen), flush=True)


def attempt(step, call):
    try:
        return call()
    except (HfHubHTTPError, InferenceEndpointError, InferenceEndpointTimeoutError) as error:
        status = getattr(getattr(error, "response", None), "status_code", None)
        report(step, error=type(error).__name__, status=status, message=str(error))
        return None


def image(url):
    return {"url": url, "healthRoute": "/health", "port": 8080}


def create(url):
    return api.create_inference_endpoint(
        name, namespace=namespace, repository="hexgrad/Kokoro-82M", framework="custom", task="custom",
        accelerator="cpu", instance_size="x2", instance_type="intel-icl", vendor="aws", region="us-east-1",
        min_replica=0, max_replica=1, scale_to_zero_timeout=15, custom_image=image(url),
        env={"DEFAULT_VOICE": "af_heart"}, secrets={"HF_TOKEN": "never-echoed"}, type="authenticated")


def lifecycle():
    endpoint = create(images[0])
    report("create", endpoint)
    report("wait", endpoint.wait(timeout=60, refresh_every=POLL))
    report("get", api.get_inference_endpoint(name, namespace=namespace))
    endpoint = api.update_inference_endpoint(
        name, namespace=namespace, custom_image=image(images[1]), env={"DEFAULT_VOICE": "bf_emma"})
    report("update", endpoint)
    report("wait", endpoint.wait(timeout=60, refresh_every=POLL))
    report("pause", endpoint.pause())
    report("resume", endpoint.resume())
    report("wait", endpoint.wait(timeout=60, refresh_every=POLL))
    report("resume", endpoint.resume(running_ok=True))
    report("scale_to_zero", endpoint.scale_to_zero())
    report("list", names=[e.name for e in api.list_inference_endpoints(namespace=namespace)])


def fails_to_settle():
    endpoint = api.get_inference_endpoint(name, namespace=namespace)
    endpoint = endpoint.update(custom_image=image(images[0]))
    report("update", endpoint)
    attempt("wait", lambda: endpoint.wait(timeout=60, refresh_every=POLL))


def errors():
    attempt("create", lambda: create(images[0]))
    attempt("get", lambda: api.get_inference_endpoint("no-such-endpoint", namespace=namespace))
    attempt("get", lambda: api.get_inference_endpoint(name, namespace=namespace, token="hf_wrong"))
    attempt("resume", lambda: api.resume_inference_endpoint(name, namespace=namespace, running_ok=False))
    endpoint = api.get_inference_endpoint(name, namespace=namespace)
    attempt("wait", lambda: endpoint.wait(timeout=0.2, refresh_every=POLL))


{"lifecycle": lifecycle, "fails-to-settle": fails_to_settle, "errors": errors}[scenario]()
