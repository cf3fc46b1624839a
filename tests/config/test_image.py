"""The image and compose (issue 11, item 7), read as Docker would read them (no engine here:
tests/topology/ also serves a page from exactly the files the image gets)."""

import re
import tomllib
from pathlib import Path

import yaml

from tests.support.image import copy_sources, image_files

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def instructions() -> list[str]:
    joined = DOCKERFILE.replace("\\\n", " ")
    return [line.strip() for line in joined.splitlines() if line.strip() and line[0] != "#"]


def test_dependencies_come_from_the_hashed_lock_file_before_the_source_is_copied():
    lines = instructions()
    install = next(i for i, line in enumerate(lines) if "pip install" in line)
    assert "requirements.lock" in lines[install]
    source = next(i for i, line in enumerate(lines) if line.startswith("COPY . "))
    assert install < source and "--require-hashes" in lines[install]
    assert copy_sources(ROOT / "Dockerfile") == ["requirements.lock", "."]


def test_the_lock_file_pins_every_dependency_of_the_project_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lock = (ROOT / "requirements.lock").read_text().lower()
    pinned = dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)", lock, re.M))
    for requirement in project:
        name = re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in pinned, f"{name} is not pinned in requirements.lock (run `make lock`)"
    assert lock.count("--hash=sha256:") >= len(pinned)


def test_the_image_runs_unprivileged_with_a_health_check_and_gunicorn_from_its_config():
    lines = instructions()
    assert any(line.startswith("USER ") and "root" not in line for line in lines)
    assert any(line.startswith("HEALTHCHECK ") and "/healthz" in line for line in lines)
    assert lines[-1].startswith("CMD ") and '"-c", "config/gunicorn.conf.py"' in lines[-1]


def test_the_image_holds_the_translations_and_leaves_out_tests_and_local_files():
    files = image_files(ROOT)
    for needed in ("locale/fr/LC_MESSAGES/django.mo", "locale/es/LC_MESSAGES/django.mo"):
        assert needed in files
    assert "manage.py" in files and "config/gunicorn.conf.py" in files
    for app in ("config", "submissions", "jury", "scoring", "frontend"):
        assert f"{app}/__init__.py" in files
    leaked = [f for f in files if f.startswith(("tests/", ".venv/", ".git", "media/", "docs/"))]
    assert leaked == [] and "db.sqlite3" not in files


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_every_service_of_the_deployment_on_pinned_images():
    services = compose()["services"]
    expected = {"web", "worker", "beat", "redis", "db", "minio", "createbucket", "migrate"}
    assert set(services) == expected
    for name, service in services.items():
        image = service.get("image", "")
        if "build" in service:
            continue
        tag = image.rsplit(":", 1)[-1] if ":" in image else ""
        assert tag and tag != "latest" and re.search(r"\d", tag), f"{name}: {image} is not pinned"


def test_compose_waits_for_the_migrate_job_and_refuses_to_start_without_a_secret_key():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "${SECRET_KEY:?" in text
    services = compose()["services"]
    web = services["web"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert web["depends_on"]["createbucket"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert services["createbucket"]["command"][-1] == "configure_bucket"
    for name in ("web", "worker", "beat", "redis", "db", "minio"):
        assert services[name]["restart"] == "unless-stopped", name
        assert "test" in services[name]["healthcheck"], name
    assert services["web"]["command"][:3] == ["gunicorn", "-c", "config/gunicorn.conf.py"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
