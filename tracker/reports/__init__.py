"""Monitoring reports of recognised value chains and funded projects (workflow ``report``)."""
