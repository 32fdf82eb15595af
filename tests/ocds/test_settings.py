import pytest

from jiandu.ocds.settings import SettingsError, pipe_set, settings_parse


def test_global_keys_sections_and_inline_comments() -> None:
    settings = settings_parse(
        "currency = USD\n"
        "no_price_comparison_procurement_methods = Random Selection|Sorteo de Obras\n"
        "[exclusions]\nprocurement_method_details = Lottery|\n"
        "[R003]\nthreshold = 10 # days\nprocurement_methods = open|selective\n"
        "[R003.procurement_method_details]\nCotización = 7\n"
        "[R024]\n"
        "; [R025]\n"
        "[codelists.bid_status]\nqualified = valid\n"
    )
    assert settings.currency == "USD"
    assert settings.no_price_comparison_procurement_methods == {"Random Selection", "Sorteo de Obras"}
    assert settings.excluded_procurement_method_details == {"Lottery"}
    assert settings.get("R003", "threshold") == 10
    assert settings.r003_procurement_method_details == {"Cotización": 7}
    assert settings.enabled("R024") and not settings.enabled("R025")
    assert settings.bid_status_codelist == {"qualified": "valid"}


@pytest.mark.parametrize(
    "text",
    [
        "[R024]\nthreshhold = 0.1\n",
        "[R999]\n",
        "colour = blue\n",
        "[R003]\nthreshold = -1\n",
        "[R024]\nthreshold = x\n",
    ],
)
def test_unknown_or_invalid_settings_are_errors(text: str) -> None:
    with pytest.raises(SettingsError):
        settings_parse(text)


def test_pipe_set_drops_only_a_trailing_separator() -> None:
    assert pipe_set("a||b|") == {"a", "", "b"}
    assert pipe_set("") == frozenset()
    assert pipe_set(None) == frozenset()
