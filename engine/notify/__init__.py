"""Notification channels: WeCom, Feishu and DingTalk robots, e-mail, signed webhooks."""
