"""Shared by every test module."""
from __future__ import annotations

import pytest

from sdkgate.catalogue import default_catalogue


@pytest.fixture(autouse=True, scope="session")
def no_user_catalogue(tmp_path_factory):
    """Tests see the bundled catalogue only, never rows a developer imported into ~/.local/share."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SDKGATE_CATALOGUE_EXTRA", str(tmp_path_factory.mktemp("none") / "absent.yaml"))
        default_catalogue.cache_clear()
        yield
    default_catalogue.cache_clear()
