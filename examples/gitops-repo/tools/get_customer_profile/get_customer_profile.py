"""Customer lookup in the Meridian Mutual CRM."""

import requests

from ibm_watsonx_orchestrate.agent_builder.connections import ConnectionType, ExpectedCredentials
from ibm_watsonx_orchestrate.agent_builder.tools import ToolPermission, tool
from ibm_watsonx_orchestrate.run import connections

CRM_APP_ID = "meridian_crm"
TIMEOUT_SECONDS = 15


@tool(
    permission=ToolPermission.READ_ONLY,
    expected_credentials=[ExpectedCredentials(app_id="meridian_crm", type=ConnectionType.API_KEY_AUTH)],
)
def get_customer_profile(customer_number: str = "", policy_number: str = "", email: str = "") -> dict:
    """
    Looks up a customer in the CRM by customer number, policy number or e-mail address and returns
    the profile the other agents need: name, preferred contact channel, active policies and
    billing accounts. Give at least one of the three identifiers.

    Args:
        customer_number (str): The customer number, e.g. "C-10042317".
        policy_number (str): Any policy number the customer holds, e.g. "AUT-2024-0081532".
        email (str): The e-mail address registered with the customer record.

    Returns:
        dict: customer_number, full_name, preferred_channel, segment, policies (list of
        policy_number, line_of_business, status) and billing_accounts (list of account numbers).
    """
    if not (customer_number or policy_number or email):
        raise ValueError("Provide a customer number, a policy number or an e-mail address.")

    conn = connections.api_key_auth(CRM_APP_ID)
    headers = {"Accept": "application/json", "X-API-Key": conn.api_key}

    if customer_number:
        response = requests.get(f"{conn.url}/customers/{customer_number}", headers=headers, timeout=TIMEOUT_SECONDS)
    else:
        params = {"policyNumber": policy_number} if policy_number else {"email": email.strip().lower()}
        response = requests.get(f"{conn.url}/customers", headers=headers, params=params, timeout=TIMEOUT_SECONDS)

    if response.status_code == 404:
        return {"found": False, "message": "No customer matches the given identifier."}
    response.raise_for_status()
    body = response.json()
    record = body["items"][0] if "items" in body else body
    if not record:
        return {"found": False, "message": "No customer matches the given identifier."}

    return {
        "found": True,
        "customer_number": record["customerNumber"],
        "full_name": f'{record["firstName"]} {record["lastName"]}',
        "preferred_channel": record.get("preferredChannel", "email"),
        "segment": record.get("segment", "personal"),
        "policies": [
            {
                "policy_number": p["policyNumber"],
                "line_of_business": p["lineOfBusiness"],
                "status": p["status"],
            }
            for p in record.get("policies", [])
        ],
        "billing_accounts": [a["accountNumber"] for a in record.get("billingAccounts", [])],
    }
