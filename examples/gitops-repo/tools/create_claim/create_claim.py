"""Files a new claim (first notice of loss) in the claims core system."""

import uuid

import requests

from ibm_watsonx_orchestrate.agent_builder.connections import ConnectionType, ExpectedCredentials
from ibm_watsonx_orchestrate.agent_builder.tools import ToolPermission, tool
from ibm_watsonx_orchestrate.run import connections

CLAIMS_APP_ID = "claims_core"
TIMEOUT_SECONDS = 30


@tool(
    permission=ToolPermission.READ_WRITE,
    expected_credentials=[ExpectedCredentials(app_id="claims_core", type=ConnectionType.OAUTH2_CLIENT_CREDS)],
)
def create_claim(
    policy_number: str,
    loss_date: str,
    loss_type: str,
    description: str,
    estimated_amount: float = 0.0,
) -> dict:
    """
    Files a first notice of loss in the claims core system and returns the new claim with the
    deductible that applies and when the assigned adjuster will make contact. Call it only with
    details that validate_loss_details has accepted.

    Args:
        policy_number (str): The policy the loss is reported under.
        loss_date (str): The date of the loss, YYYY-MM-DD.
        loss_type (str): The normalised loss type, e.g. auto_collision or home_water_damage.
        description (str): What happened, in the customer's words.
        estimated_amount (float): The customer's estimate of the damage in USD, 0 if unknown.

    Returns:
        dict: claim_number, status, deductible_amount, adjuster_name and contact_within_hours.
    """
    conn = connections.oauth2_client_creds(CLAIMS_APP_ID)
    headers = {
        "Authorization": f"Bearer {conn.access_token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
        # The claims system de-duplicates retried submissions by this key.
        "Idempotency-Key": str(uuid.uuid4()),
    }
    payload = {
        "policyNumber": policy_number,
        "lossDate": loss_date,
        "lossType": loss_type,
        "description": description,
        "estimatedAmount": {"amount": estimated_amount, "currency": "USD"},
        "channel": "virtual_agent",
    }
    response = requests.post(f"{conn.url}/claims", headers=headers, json=payload, timeout=TIMEOUT_SECONDS)
    if response.status_code == 409:
        existing = response.json()
        return {
            "claim_number": existing["claimNumber"],
            "status": existing["status"],
            "duplicate": True,
            "message": "A claim for this loss already exists; no new claim was filed.",
        }
    response.raise_for_status()
    claim = response.json()
    return {
        "claim_number": claim["claimNumber"],
        "status": claim["status"],
        "deductible_amount": claim["deductible"]["amount"],
        "adjuster_name": claim.get("adjuster", {}).get("displayName", "Claims team"),
        "contact_within_hours": claim.get("serviceLevel", {}).get("firstContactHours", 48),
        "duplicate": False,
    }
