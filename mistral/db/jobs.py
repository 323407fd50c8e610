"""Data access for scheduled jobs (retries, waits, timeouts)."""

import datetime

import sqlalchemy as sa

from mistral.db import models

JOB = models.ScheduledJob


def schedule(session, job_type, run_after, params, key=None):
    """Persist a job; with ``key``, replace any pending job with the same key."""
    if key is not None:
        session.execute(sa.delete(JOB).where(JOB.key == key))
    job = JOB(job_type=job_type, run_after=run_after, params=params, key=key)
    session.add(job)
    session.flush()
    return job


def cancel(session, key):
    session.execute(sa.delete(JOB).where(JOB.key == key))


def due_ids(session, now, limit=100):
    stmt = (
        sa.select(JOB.id)
        .where(JOB.run_after <= now, sa.or_(JOB.claimed_until.is_(None), JOB.claimed_until < now))
        .order_by(JOB.run_after)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def claim(session, job_id, owner, now, lease_seconds=60):
    """CAS-claim a due job for ``owner``; True when this caller won it."""
    result = session.execute(
        sa.update(JOB)
        .where(JOB.id == job_id, sa.or_(JOB.claimed_until.is_(None), JOB.claimed_until < now))
        .values(claimed_by=owner, claimed_until=now + datetime.timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def take(session, job_id, owner):
    """Load and delete a job claimed by ``owner`` (in the transaction that runs it)."""
    job = session.get(JOB, job_id)
    if job is None or job.claimed_by != owner:
        return None
    session.delete(job)
    session.flush()
    return job


def next_run_after(session):
    return session.scalar(sa.select(sa.func.min(JOB.run_after)))
