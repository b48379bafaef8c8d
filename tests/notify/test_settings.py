"""The operator's notification settings, read from the environment."""

from __future__ import annotations

import ipaddress

import pytest

from engine.notify.settings import NotifySettings, SmtpSecurity, notify_settings_from_env


def test_defaults_turn_e_mail_off_and_allow_no_private_network():
    settings = notify_settings_from_env({})
    assert settings == NotifySettings()
    assert settings.smtp_host is None and settings.allow.networks == ()
    assert settings.timeout == 10.0 and settings.robot_per_minute == 15


def test_every_variable_is_read():
    settings = notify_settings_from_env(
        {
            "CUEFLOW_SMTP_HOST": "smtp.example.com",
            "CUEFLOW_SMTP_USER": "robot@example.com",
            "CUEFLOW_SMTP_PASSWORD": "pw",
            "CUEFLOW_SMTP_TLS": "SSL",
            "CUEFLOW_NOTIFY_TIMEOUT": "2.5",
            "CUEFLOW_NOTIFY_ALLOW_NETWORKS": "127.0.0.1/32, 10.20.0.0/16,hooks.corp.internal",
            "CUEFLOW_NOTIFY_ROBOT_PER_MINUTE": "12",
        }
    )
    assert (settings.smtp_host, settings.smtp_port) == ("smtp.example.com", 465)
    assert settings.smtp_tls is SmtpSecurity.SSL
    assert settings.smtp_from == "robot@example.com"  # the login, when it is an address
    assert settings.timeout == 2.5 and settings.robot_per_minute == 12
    assert settings.allow.networks == (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("10.20.0.0/16"),
    )
    assert settings.allow.hosts == {"hooks.corp.internal"}
    assert "pw" not in repr(settings)


def test_port_and_from_can_be_set_and_starttls_is_the_default():
    settings = notify_settings_from_env(
        {
            "CUEFLOW_SMTP_HOST": "smtp.example.com",
            "CUEFLOW_SMTP_PORT": "2525",
            "CUEFLOW_SMTP_FROM": "Cueflow <ops@example.com>",
        }
    )
    assert settings.smtp_tls is SmtpSecurity.STARTTLS
    assert (settings.smtp_port, settings.smtp_from) == (2525, "Cueflow <ops@example.com>")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CUEFLOW_SMTP_TLS", "tls"),
        ("CUEFLOW_SMTP_PORT", "smtp"),
        ("CUEFLOW_SMTP_PORT", "70000"),
        ("CUEFLOW_NOTIFY_TIMEOUT", "0"),
        ("CUEFLOW_NOTIFY_ROBOT_PER_MINUTE", "50"),
        ("CUEFLOW_NOTIFY_ALLOW_NETWORKS", "10.0.0.0/40"),
    ],
)
def test_a_bad_value_fails_at_start_naming_the_variable(name, value):
    with pytest.raises(ValueError, match=name):
        notify_settings_from_env({name: value})
