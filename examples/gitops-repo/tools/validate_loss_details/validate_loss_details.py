"""Validation and normalisation of a first notice of loss (FNOL) before it reaches the claims system."""

import re
from datetime import date, timedelta

from ibm_watsonx_orchestrate.agent_builder.tools import ToolPermission, tool

POLICY_NUMBER = re.compile(r"^(AUT|HOM|REN)-\d{4}-\d{7}$")
LOSS_TYPES = {
    "auto_collision": "AUT",
    "auto_glass": "AUT",
    "auto_theft": "AUT",
    "home_water_damage": "HOM",
    "home_fire": "HOM",
    "home_theft": "HOM",
    "renters_personal_property": "REN",
}
# Losses must be reported within this many days (policy conditions, section "Duties after a loss").
REPORTING_WINDOW_DAYS = 365


@tool(permission=ToolPermission.READ_ONLY)
def validate_loss_details(
    policy_number: str,
    loss_date: str,
    loss_type: str,
    description: str,
    estimated_amount: float = 0.0,
) -> dict:
    """
    Checks the details of a reported loss and returns them normalised for the claims system.
    Raises an error that names every problem when the report cannot be filed as it is.

    Args:
        policy_number (str): The policy the loss is reported under, e.g. "AUT-2024-0081532".
        loss_date (str): The date of the loss, ISO format YYYY-MM-DD.
        loss_type (str): One of auto_collision, auto_glass, auto_theft, home_water_damage,
            home_fire, home_theft, renters_personal_property.
        description (str): What happened, in the customer's words (at least 20 characters).
        estimated_amount (float): The customer's estimate of the damage in USD, 0 if unknown.

    Returns:
        dict: policy_number, loss_date, loss_type, description and estimated_amount, normalised.
    """
    problems = []
    number = policy_number.strip().upper()
    if not POLICY_NUMBER.match(number):
        problems.append("policy number must look like AUT-2024-0081532")

    kind = loss_type.strip().lower()
    if kind not in LOSS_TYPES:
        problems.append(f"loss type must be one of {', '.join(sorted(LOSS_TYPES))}")
    elif POLICY_NUMBER.match(number) and not number.startswith(LOSS_TYPES[kind]):
        problems.append(f"a {kind} loss cannot be reported under policy {number}")

    try:
        when = date.fromisoformat(loss_date.strip())
        if when > date.today():
            problems.append("the loss date lies in the future")
        elif when < date.today() - timedelta(days=REPORTING_WINDOW_DAYS):
            problems.append("the loss is older than the reporting window; transfer to a claims adjuster")
    except ValueError:
        problems.append("loss date must be a date in the form YYYY-MM-DD")

    text = " ".join(description.split())
    if len(text) < 20:
        problems.append("the description needs a few more details (at least 20 characters)")
    if estimated_amount < 0:
        problems.append("the estimated amount cannot be negative")

    if problems:
        raise ValueError("The loss report is incomplete: " + "; ".join(problems) + ".")

    return {
        "policy_number": number,
        "loss_date": loss_date.strip(),
        "loss_type": kind,
        "description": text,
        "estimated_amount": round(float(estimated_amount), 2),
    }
