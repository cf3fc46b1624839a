FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY config config
COPY submissions submissions
COPY jury jury
COPY scoring scoring
COPY frontend frontend
COPY manage.py ./
RUN pip install --no-cache-dir . \
    && DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --create-home metropolis
USER metropolis
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--timeout", "120"]
