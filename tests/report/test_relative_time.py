"""Times in the run report are told against the user's answer, the way an auditor reads them."""
from sdkgate.formats.html import relative_to_consent

ACCEPT = [{"t_ms": 2000, "scope": "policy", "transition": "granted"}]


def test_before_and_after_accept():
    assert relative_to_consent(200, ACCEPT) == "1.8 s before consent"
    assert relative_to_consent(5000, ACCEPT) == "3.0 s after consent"
    assert relative_to_consent(2000, ACCEPT) == "at the consent moment"
    assert relative_to_consent(200, ACCEPT, "zh") == "同意前 1.8 s"


def test_decline_withdrawal_and_no_answer():
    declined = [{"t_ms": 1000, "scope": "policy", "transition": "declined"}]
    assert relative_to_consent(4000, declined) == "3.0 s after decline"
    assert relative_to_consent(500, declined) == "no consent given in this run"
    withdrawn = ACCEPT + [{"t_ms": 10_000, "scope": "policy", "transition": "withdrawn"}]
    assert relative_to_consent(130_000, withdrawn) == "2.0 min after withdrawal"
    assert relative_to_consent(100, []) == "no consent given in this run"
    # another scope's answer does not decide the policy scope
    assert relative_to_consent(3000, [{"t_ms": 1000, "scope": "personalization", "transition": "granted"}]) == \
        "no consent given in this run"
