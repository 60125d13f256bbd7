"""Sending email through Flask-Mailman (SMTP in production, console in development)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_mailman import EmailMessage


def send_mail(to: str, subject: str, template: str, **context) -> bool:
    """Render templates/email/<template>.txt and send it; False (logged) when sending fails."""
    body = render_template(f"email/{template}.txt", **context)
    message = EmailMessage(
        subject=subject, body=body, from_email=current_app.config["MAIL_DEFAULT_SENDER"], to=[to]
    )
    try:
        message.send()
    except Exception:  # an SMTP outage must not lose the registration already stored
        current_app.logger.exception("could not send %r to %s", subject, to)
        return False
    return True
