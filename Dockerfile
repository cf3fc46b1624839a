# The platform's image: gunicorn for `web`, the same image runs `worker`, `beat` and `migrate`
# (docker-compose.yml). Dependencies come from the lock file, installed before the source is
# copied, so a change of code rebuilds only the last layers.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings
WORKDIR /app

RUN groupadd --system --gid 10001 metropolis \
    && useradd --system --uid 10001 --gid metropolis --home-dir /app --shell /usr/sbin/nologin metropolis

# 1. Dependencies, pinned with their hashes (make lock writes requirements.lock).
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

# 2. The source: everything .dockerignore does not leave out (the apps, config/, locale/ with
#    the compiled French and Spanish catalogs, manage.py).
COPY . .
RUN DEBUG=false SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput -v0 \
    && python -c "import pathlib, sys; sys.exit(0 if sorted(pathlib.Path('locale').glob('*/LC_MESSAGES/django.mo')) else 1)"

USER metropolis
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
