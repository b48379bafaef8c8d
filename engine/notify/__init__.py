"""Notification channels: WeCom, Feishu and DingTalk robots, e-mail, signed webhooks.

No Flask, SQLAlchemy, Redis or RQ in here: the executor's jobs and the API call these modules.

- `message`: what is said (`Message`), and `digest` to merge a burst.
- `channels`: the kinds of channel and each kind's settings schema; `redacted` for display.
- `wecom`, `feishu`, `dingtalk`, `webhook`, `mail`: pure builders of each platform's documented
  request, and judges of its answer.
- `guard`: refuses webhook URLs that point into private networks (SSRF).
- `limits`: which waiting messages to send now, merged into digests past a robot's budget.
- `send`: `deliver`, the one place that touches the network; returns an `Attempt`.
- `settings`: the operator's SMTP and network settings, from the environment.
"""
