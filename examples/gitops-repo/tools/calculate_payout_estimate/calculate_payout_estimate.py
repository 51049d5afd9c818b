"""Indicative payout estimate for a covered loss (no system call; the adjuster decides the real amount)."""

from ibm_watsonx_orchestrate.agent_builder.tools import ToolPermission, tool


@tool(permission=ToolPermission.READ_ONLY)
def calculate_payout_estimate(
    estimated_loss: float,
    deductible: float,
    coverage_limit: float,
    depreciation_percent: float = 0.0,
) -> dict:
    """
    Estimates what the customer could receive for a covered loss: the loss less depreciation
    (actual cash value coverages), less the deductible, capped at the coverage limit.
    The result is indicative only; the adjuster's assessment decides the payout.

    Args:
        estimated_loss (float): The estimated cost of the damage in USD.
        deductible (float): The deductible of the coverage in USD (from listPolicyCoverages).
        coverage_limit (float): The limit of the coverage in USD (from listPolicyCoverages).
        depreciation_percent (float): Depreciation for actual cash value coverages, 0 to 100;
            0 for replacement cost coverages.

    Returns:
        dict: estimated_payout, customer_share, capped_at_limit (bool) and a short explanation.
    """
    if estimated_loss < 0 or deductible < 0 or coverage_limit <= 0:
        raise ValueError("Amounts must be positive and the coverage limit greater than zero.")
    if not 0 <= depreciation_percent <= 100:
        raise ValueError("Depreciation must be between 0 and 100 percent.")

    depreciated = estimated_loss * (1 - depreciation_percent / 100)
    after_deductible = max(depreciated - deductible, 0.0)
    payout = min(after_deductible, coverage_limit)
    capped = after_deductible > coverage_limit

    explanation = (
        f"Loss of ${estimated_loss:,.2f}"
        + (f", less {depreciation_percent:g}% depreciation" if depreciation_percent else "")
        + f", less the ${deductible:,.2f} deductible"
        + (f", capped at the ${coverage_limit:,.2f} limit" if capped else "")
        + f": about ${payout:,.2f}."
    )
    return {
        "estimated_payout": round(payout, 2),
        "customer_share": round(estimated_loss - payout, 2),
        "capped_at_limit": capped,
        "explanation": explanation,
    }
