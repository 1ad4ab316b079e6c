"""Fixtures of the web layer's tests."""
import pytest


@pytest.fixture
def large(app, make, monkeypatch, tmp_path):
    """More hosts than EXPORT_BACKGROUND_ROWS (3): their export runs in the background."""
    monkeypatch.setitem(app.config, "EXPORT_BACKGROUND_ROWS", 3)
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    for i in range(5):
        make.host(name=f"Archives {i}")
