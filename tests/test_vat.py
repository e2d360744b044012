import pytest

from tracker.organisations.vat import normalise_vat, vat_check_digit, vat_problem


@pytest.mark.parametrize(
    "vat", ["00159560366", "IT00159560366", " 001 595 603 66 ", "it00159560366"]
)
def test_real_vat_numbers_pass(vat):
    assert vat_problem(vat) is None
    assert normalise_vat(vat) == "00159560366"


@pytest.mark.parametrize(
    ("vat", "reason"),
    [
        ("00159560367", "check digit"),
        ("0015956036", "11 digits"),
        ("001595603666", "11 digits"),
        ("0015956036A", "11 digits"),
        ("", "11 digits"),
        ("00000000000", "seven zeros"),
    ],
)
def test_bad_vat_numbers_say_why(vat, reason):
    assert reason in vat_problem(vat)


def test_every_single_digit_typo_is_caught():
    good = "00159560366"
    for i in range(11):
        for d in "0123456789":
            typo = good[:i] + d + good[i + 1 :]
            if typo != good:
                assert vat_problem(typo) is not None, typo
    assert vat_check_digit("0015956036") == 6
