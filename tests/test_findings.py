"""rnn_helpers.findings: asserted for the default run, reported for any other."""

import pytest

from rnn_helpers.findings import Findings


def test_a_band_is_asserted_for_the_default_run_with_its_margin():
    findings = Findings(default_run=True)
    findings.in_band("accuracy", 0.9733, measured=(0.972, 0.975))
    findings.in_band("accuracy", 0.968, measured=(0.972, 0.975), margin=0.005)
    with pytest.raises(AssertionError, match=r"accuracy = 0\.96 is outside the band 0\.972 to 0\.975 \(margin 0\.005\)"):
        findings.in_band("accuracy", 0.96, measured=(0.972, 0.975), margin=0.005)
    with pytest.raises(AssertionError, match="outside the band"):
        findings.in_band("accuracy", 0.99, measured=(0.972, 0.975), margin=0.005)


def test_a_band_is_only_reported_for_other_parameters(capsys):
    Findings(default_run=False).in_band("accuracy", 0.5, measured=(0.972, 0.975), margin=0.005)
    assert capsys.readouterr().out == "accuracy: your run 0.5; the default run 0.972 to 0.975\n"


def test_a_yes_no_finding(capsys):
    Findings(default_run=True).holds("10 < 20 units", True)
    with pytest.raises(AssertionError, match="the default run should show that 10 < 20 units; got 0.8 > 0.7"):
        Findings(default_run=True).holds("10 < 20 units", False, "0.8 > 0.7")
    assert capsys.readouterr().out == ""
    Findings(default_run=False).holds("10 < 20 units", False, "0.8 > 0.7")
    Findings(default_run=False).holds("10 < 20 units", True)
    assert capsys.readouterr().out.splitlines() == [
        "10 < 20 units: does not hold in your run (0.8 > 0.7); it holds in the default run",
        "10 < 20 units: holds in your run; it holds in the default run"]
