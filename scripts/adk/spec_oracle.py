#!/usr/bin/env python3
"""spec_oracle.py — the ADK's own verdict on wxO spec files, for record-spec-verdicts.mjs.

Reads lines "KIND<TAB>PATH" on stdin; prints one JSON object a line:
  {"kind": KIND, "path": PATH, "verdict": "accepted"|"rejected", "reason": "...", "names": [...]}
using the parse functions and pydantic models `orchestrate <kind> import` calls (adk_import.py
stubs the ADK's other dependencies). `names`: the tool names the ADK derives (OpenAPI, flows,
Langflow). Based on ../shared/adk/oracle/verdict.py; kinds added: model, flow, langflow, openapi.
"""
import asyncio
import json
import logging
import sys
import types
import warnings

import adk_import  # noqa: F401  (sys.path and stand-ins first)
import yaml

warnings.filterwarnings("ignore")
sys.argv = sys.argv[:1]


class _Errors(logging.Handler):
    """Keeps what the ADK logs at ERROR: the reason behind a `sys.exit(1)`."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages = []

    def emit(self, record):
        try:
            self.messages.append(record.getMessage())
        except Exception:
            self.messages.append(str(record.msg))


ERRORS = _Errors()
logging.basicConfig(level=logging.ERROR, handlers=[ERRORS], force=True)


def _tenant_stand_ins():
    """What the ADK would ask the tenant, answered the way a SaaS tenant with a default model does."""
    from ibm_watsonx_orchestrate.cli.commands.models import models_controller
    from ibm_watsonx_orchestrate.cli.commands.phone import phone_controller
    # agents/types.py get_default_llm: an agent without `llm` takes the tenant's default model.
    models_controller.ModelsController.formatted_list_all = lambda self: [types.SimpleNamespace(is_default=True, name="watsonx/tenant-default")]
    # phone_controller._block_sip_in_local: SIP trunks are refused on the local developer edition only.
    phone_controller.is_local_dev = lambda *a, **k: False


def _load(p):
    with open(p) as f:
        return json.load(f) if p.endswith(".json") else yaml.load(f, Loader=yaml.SafeLoader)


def agent(p):
    from ibm_watsonx_orchestrate.cli.commands.agents.agents_controller import parse_file
    return parse_file(p)


def knowledge_base(p):
    from ibm_watsonx_orchestrate.agent_builder.knowledge_bases.knowledge_base import KnowledgeBase
    kb = KnowledgeBase.from_spec(p)
    kb.validate_documents_or_index_exists()
    return kb


def voice_config(p):
    from ibm_watsonx_orchestrate_core.types.voice_configurations.types import VoiceConfiguration
    return VoiceConfiguration.model_validate(_load(p))


def connection(p):
    # What `connections import` does per environment block (connections_controller).
    from ibm_watsonx_orchestrate_core.types.connections.configuration import ConnectionConfiguration
    c = _load(p)
    assert c.get("spec_version") and c.get("kind") == "connection" and c.get("app_id") and c.get("environments"), \
        "spec_version, kind: connection, app_id and environments are required"
    for env, cfg in c["environments"].items():
        cfg = dict(cfg, environment=env, app_id=c["app_id"])
        ConnectionConfiguration.model_validate(cfg)


def channel(p):
    from ibm_watsonx_orchestrate.cli.commands.channels.channels_controller import ChannelsController
    return ChannelsController().import_channel(p)


def phone(p):
    from ibm_watsonx_orchestrate.cli.commands.phone.phone_controller import PhoneController
    return PhoneController().import_phone_config(p)


def toolkit(p):
    from ibm_watsonx_orchestrate.agent_builder.toolkits.base_toolkit import BaseToolkit
    return BaseToolkit.from_spec(p)


def model(p):
    # models_controller.import_model: parse_model_file (spec_version check + VirtualModel), the
    # provider taken from the name, then validate_ProviderConfig — as with `-a <connection>` (the
    # provider's secrets live in a key_value connection, never in the file).
    from ibm_watsonx_orchestrate.cli.commands.models.models_controller import parse_model_file
    from ibm_watsonx_orchestrate.cli.commands.models.model_provider_mapper import validate_ProviderConfig
    from ibm_watsonx_orchestrate_core.types.models.types import ProviderConfig
    models = parse_model_file(p)
    for m in models:
        name = m.name if m.name.startswith("virtual-model/") else f"virtual-model/{m.name}"
        provider = next(x for x in name.split("/") if x not in ("virtual-policy", "virtual-model"))
        config = m.provider_config or ProviderConfig.model_validate({"provider": provider})
        config.provider = provider
        validate_ProviderConfig(config, app_id="a_key_value_connection")
    return models


def model_policy(p):
    from ibm_watsonx_orchestrate.cli.commands.models.models_controller import parse_policy_file
    return parse_policy_file(p)


def flow(p):
    # tools_controller.import_flow_tool for a JSON model: json.load, then create_flow_json_tool
    # with the model's spec.name and spec.description.
    from ibm_watsonx_orchestrate.agent_builder.tools.flow_tool import create_flow_json_tool
    model = _load(p)
    tool = create_flow_json_tool(name=model["spec"]["name"], description=model["spec"]["description"], permission="read_only", flow_model=model)
    return [tool.__tool_spec__.name]


def langflow(p):
    # tools_controller.import_langflow_tool without connections (-a is checked against the tenant).
    from ibm_watsonx_orchestrate.agent_builder.tools.langflow_tool import create_langflow_tool
    tool = create_langflow_tool(tool_definition=_load(p), connections=None, show_details=False)
    return [tool.__tool_spec__.name]


def openapi(p):
    # tools_controller.import_openapi_tool → create_openapi_json_tools_from_content. jsonref is a
    # stand-in here: $refs stay unresolved (they only shape the input/output schemas, not names).
    import ibm_watsonx_orchestrate.agent_builder.tools.openapi_tool as ot
    ot.jsonref = types.SimpleNamespace(replace_refs=lambda obj, **kw: obj, JsonRef=type("JsonRef", (), {}))
    tools = asyncio.run(ot.create_openapi_json_tools_from_content(_load(p), None))
    return [t.__tool_spec__.name for t in tools]


KINDS = {f.__name__: f for f in (agent, knowledge_base, voice_config, connection, channel, phone, toolkit, model, model_policy, flow, langflow, openapi)}

if __name__ == "__main__":
    _tenant_stand_ins()
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line:
            continue
        kind, path = line.split("\t", 1)
        out = {"kind": kind, "path": path}
        ERRORS.messages.clear()
        for name in list(logging.root.manager.loggerDict):
            lg = logging.getLogger(name)
            lg.handlers, lg.propagate, lg.disabled = [], True, False
        fn = KINDS.get(kind)
        try:
            if fn is None:
                raise ValueError(f"no verdict function for kind {kind}")
            result = fn(path)
            out["verdict"] = "accepted"
            if kind in ("flow", "langflow", "openapi"):
                out["names"] = result
        except SystemExit as e:
            logged = " | ".join(ERRORS.messages) or "no message"
            out["verdict"], out["reason"] = "rejected", f"SystemExit({e.code}): {logged}".replace("\n", " | ")[:3000]
        except BaseException as e:  # the ADK's own error, one line
            out["verdict"], out["reason"] = "rejected", f"{type(e).__name__}: {e}".replace("\n", " | ")[:3000]
        print(json.dumps(out), flush=True)
