"""(From the shared oracle of the ADK workspace, ../shared/adk/oracle/adk_import.py.)

Make the ADK's Python source importable with only pydantic 2 and PyYAML installed.

Puts the ADK source tree ADK_SRC (required) on sys.path and answers
every import of a third-party package the ADK needs but this machine lacks with an empty stand-in
module, so the ADK's own pydantic models and parse functions can run. Only parsing/validation code
paths are meaningful this way: anything that talks to a server or renders output is stubbed.
"""
import importlib.abc
import importlib.machinery
import os
import sys
from unittest.mock import MagicMock

ADK_SRC = os.environ.get("ADK_SRC")
if not ADK_SRC:
    sys.exit("ADK_SRC must name an ADK source tree (a checkout of IBM/ibm-watsonx-orchestrate-adk)")
ADK_SRC = os.path.abspath(ADK_SRC)
sys.path[:0] = [os.path.join(ADK_SRC, p) for p in ("src", "packages/core", "packages/clients", "packages/agentic-sdk")]

# Imported for real: pydantic, pydantic_core, yaml, requests, packaging, dotenv, click, typing_extensions.
STUBS = {
    "redis", "munch", "nest_asyncio", "pyjwt", "websocket", "lxml", "bs4", "markdown", "yaml_include",
    "openapi_core", "prance", "jsonpath_ng", "aiofiles", "asyncer", "httpcore", "PIL", "reportlab", "fitz",
    "pypdf", "docx", "mammoth", "xlsxwriter", "openpyxl", "rich", "httpx", "typer", "langchain_core",
    "ibm_cloud_sdk_core", "jsonref", "docstring_parser", "jwt", "langchain", "langgraph", "questionary",
    "jinja2", "requests_toolbelt", "cryptography", "tenacity", "websockets", "mcp", "fastmcp",
    "opentelemetry", "langfuse", "toml", "tomli", "tomlkit", "dateutil", "pytz", "keyring", "boto3",
    "docker", "psutil", "filelock", "ibm_watsonx_gov", "ibm_watsonx_ai", "openai", "uvicorn", "fastapi",
    "starlette", "aiohttp", "anyio", "sse_starlette", "semver", "platformdirs", "pyperclip", "jsonschema",
    "email_validator", "wxo_agentic_evaluation", "tabulate", "pandas", "numpy", "matplotlib", "watchdog",
    "prompt_toolkit", "inquirer", "shellingham", "pyfiglet", "art", "colorama", "termcolor", "tqdm",
    "ruamel", "httpx_sse", "pydantic_settings", "ibm_watsonx_orchestrate_evaluation_framework", "agentops",
    "langchain_ibm", "typing_inspect", "deepdiff", "chardet",
}


class _StubLoader(importlib.abc.Loader):
    def create_module(self, spec):
        m = MagicMock(name=spec.name)
        m.__path__, m.__spec__, m.__name__ = [], spec, spec.name
        return m

    def exec_module(self, module):
        pass


class _StubFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in STUBS:
            return importlib.machinery.ModuleSpec(name, _StubLoader(), is_package=True)
        return None


sys.meta_path.insert(0, _StubFinder())
