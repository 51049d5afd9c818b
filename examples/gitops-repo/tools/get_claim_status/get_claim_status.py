"""Claim status lookup in the claims core system."""

import requests

from ibm_watsonx_orchestrate.agent_builder.connections import ConnectionType, ExpectedCredentials
from ibm_watsonx_orchestrate.agent_builder.tools import ToolPermission, tool
from ibm_watsonx_orchestrate.run import connections

CLAIMS_APP_ID = "claims_core"
TIMEOUT_SECONDS = 15


@tool(
    permission=ToolPermission.READ_ONLY,
    expected_credentials=[ExpectedCredentials(app_id="claims_core", type=ConnectionType.OAUTH2_CLIENT_CREDS)],
)
def get_claim_status(claim_number: str) -> dict:
    """
    Returns the current state of a claim: its status, the open tasks waiting for the customer,
    payments made so far and the adjuster handling it.

    Args:
        claim_number (str): The claim number, e.g. "CLM-24-00731958".

    Returns:
        dict: claim_number, status, status_since, open_customer_tasks (list of str),
        payments (list of date, amount, payee) and adjuster (name, phone extension).
    """
    conn = connections.oauth2_client_creds(CLAIMS_APP_ID)
    headers = {"Authorization": f"Bearer {conn.access_token}", "Accept": "application/json"}
    response = requests.get(
        f"{conn.url}/claims/{claim_number.strip().upper()}",
        headers=headers,
        params={"include": "tasks,payments,adjuster"},
        timeout=TIMEOUT_SECONDS,
    )
    if response.status_code == 404:
        return {"claim_number": claim_number, "found": False, "message": "No claim with this number exists."}
    response.raise_for_status()
    claim = response.json()
    return {
        "claim_number": claim["claimNumber"],
        "found": True,
        "status": claim["status"],
        "status_since": claim["statusChangedOn"],
        "open_customer_tasks": [t["title"] for t in claim.get("tasks", []) if t.get("owner") == "customer" and not t.get("done")],
        "payments": [
            {"date": p["paidOn"], "amount": p["amount"]["amount"], "payee": p["payeeName"]}
            for p in claim.get("payments", [])
        ],
        "adjuster": {
            "name": claim.get("adjuster", {}).get("displayName", "Claims team"),
            "phone_extension": claim.get("adjuster", {}).get("extension", ""),
        },
    }
