"""rnn_helpers.findings: bands read from bands.toml, asserted for the default run, reported for any other."""

import re

import nbformat
import pytest

from rnn_helpers import findings as findings_module
from rnn_helpers.data import PROJECT_ROOT
from rnn_helpers.errors import LessonError
from rnn_helpers.findings import Band, Findings

LESSONS = sorted((PROJECT_ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BAND_CALL = re.compile(r"in_band\(\s*(f?)\"([^\"]+)\"")


@pytest.fixture
def one_band(monkeypatch):
    """Lesson 99 with one band, accuracy 0.972 to 0.975 with a margin of 0.005."""
    table = {"99": {"accuracy": Band("accuracy of the model", 0.972, 0.975, 0.005, "seeds 0-4, paths 0 and 1")}}
    monkeypatch.setattr(findings_module, "bands", lambda: table)


def test_a_band_is_asserted_for_the_default_run_with_its_margin(one_band):
    findings = Findings("99", default_run=True)
    findings.in_band("accuracy", 0.9733)
    findings.in_band("accuracy", 0.968)  # within the margin
    with pytest.raises(AssertionError, match=r"accuracy of the model = 0\.96 is outside the band 0\.972 to 0\.975 \(margin 0\.005\) "
                                             r"measured for the default run over seeds 0-4, paths 0 and 1"):
        findings.in_band("accuracy", 0.96)
    with pytest.raises(AssertionError, match="outside the band"):
        findings.in_band("accuracy", 0.99)
    with pytest.raises(AssertionError, match="outside the band"):
        findings.in_band("accuracy", float("nan"))


def test_a_band_is_only_reported_for_other_parameters(one_band, capsys):
    Findings("99", default_run=False).in_band("accuracy", 0.5)
    assert capsys.readouterr().out == "accuracy of the model: your run 0.5; the default run 0.972 to 0.975\n"


def test_values_are_kept_for_the_closing_note_and_make_bands(one_band):
    findings = Findings("99", default_run=False)
    findings.in_band("accuracy", 0.5)
    assert findings.measured == {"accuracy": 0.5}
    assert findings.note() == ("- accuracy of the model: this run 0.5; band 0.972 to 0.975 (± 0.005), measured over "
                               "seeds 0-4, paths 0 and 1")


def test_an_unknown_band_names_the_known_ones(one_band):
    with pytest.raises(LessonError, match="lesson 99 has no band 'acuracy' in bands.toml; its bands are: accuracy"):
        Findings("99", default_run=True).in_band("acuracy", 0.97)


def test_a_yes_no_finding(capsys):
    Findings("99", default_run=True).holds("10 < 20 units", True)
    with pytest.raises(AssertionError, match="the default run should show that 10 < 20 units; got 0.8 > 0.7"):
        Findings("99", default_run=True).holds("10 < 20 units", False, "0.8 > 0.7")
    assert capsys.readouterr().out == ""
    Findings("99", default_run=False).holds("10 < 20 units", False, "0.8 > 0.7")
    Findings("99", default_run=False).holds("10 < 20 units", True)
    assert capsys.readouterr().out.splitlines() == [
        "10 < 20 units: does not hold in your run (0.8 > 0.7); it holds in the default run",
        "10 < 20 units: holds in your run; it holds in the default run"]


def test_every_band_in_the_file_is_well_formed():
    for lesson, keys in findings_module.bands().items():
        for key, band in keys.items():
            assert band.low <= band.high and band.margin >= 0, f"{lesson}.{key}: {band}"
            assert band.description and band.runs, f"{lesson}.{key} needs a description and what was measured"


def _band_calls(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    return code, BAND_CALL.findall(code)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_lessons_read_their_bands_from_the_file_and_type_none(path):
    # A band typed into a lesson drifts from what `make bands` measured; the file is the one place they live.
    code, calls = _band_calls(path)
    assert "measured=" not in code and "margin=" not in code, "a band typed into the lesson: put it in rnn_helpers/bands.toml"
    known = findings_module.bands().get(path.name[:2], {})
    for is_template, key in calls:
        keys = [k for k in known if re.fullmatch(re.sub(r"\\{[^}]*\\}", ".+", re.escape(key)), k)] if is_template else [key]
        assert keys and all(k in known for k in keys), f"in_band({key!r}) has no band in bands.toml for lesson {path.name[:2]}"


def test_every_band_in_the_file_is_checked_by_its_lesson():
    used = set()
    for path in LESSONS:
        code, calls = _band_calls(path)
        lesson = path.name[:2]
        for is_template, key in calls:
            pattern = re.sub(r"\\{[^}]*\\}", ".+", re.escape(key)) if is_template else re.escape(key)
            used |= {(lesson, k) for k in findings_module.bands().get(lesson, {}) if re.fullmatch(pattern, k)}
        # a band may also be quoted by key, e.g. a later lesson's table of earlier results
        used |= {(other, key) for other, key in re.findall(r"band\(\"(\d\d)\", \"(\w+)\"\)", code)}
    unused = {(lesson, key) for lesson, keys in findings_module.bands().items() for key in keys} - used
    assert not unused, f"bands no lesson checks or quotes (remove them from bands.toml): {sorted(unused)}"


def test_make_bands_rewrites_the_file_it_reads(tmp_path, monkeypatch):
    # benchmarks/bands.py --write regenerates bands.toml: written back without new runs, it reads as the same table
    import importlib.util

    spec = importlib.util.spec_from_file_location("bands_script", PROJECT_ROOT / "benchmarks" / "bands.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    copy = tmp_path / "bands.toml"
    copy.write_text(findings_module.BANDS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    script.write_bands([], copy)
    findings_module.bands.cache_clear()
    try:
        assert findings_module.bands(copy) == findings_module.bands()
    finally:
        findings_module.bands.cache_clear()
