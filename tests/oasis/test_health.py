import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_inline_broker(client, settings):
    # Given the embedded default (tasks inline)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # When a load balancer asks
    response = client.get("/healthz")
    # Then the database is reachable and there is no broker to reach
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "inline"}


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reaches_the_real_redis_broker(client, settings):
    import os

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    from oasis.celery import app

    app.conf.broker_url = os.environ["REDIS_URL"]
    response = client.get("/healthz")
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker_with_503(client, settings):
    from oasis.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = old
    assert response.status_code == 503
    assert response.json()["broker"] == "fail"
