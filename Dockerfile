# Bulletins as a container image: the same image runs the web process (the default command)
# and the clock process (`bulletins scheduler`). See docs/operations.md. This repository's CI
# has no Docker engine: the image is not built there.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md constraints.txt manifest.yml ./
COPY bulletins ./bulletins
COPY evaluation ./evaluation
COPY web ./web
COPY bot ./bot
# The versions that were tested (constraints.txt), then an unprivileged user.
RUN pip install -c constraints.txt . \
    && useradd --system --no-create-home --home-dir /app bulletins

USER bulletins
EXPOSE 3000
CMD ["bulletins", "serve"]
