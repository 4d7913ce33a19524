/// The body a receiver expects; the raw values are the names receiver configs use.
public enum ReceiverFormat: String, Sendable, CaseIterable { case alertmanager, slack, pagerduty, json, alertmanagerAPI = "alertmanager-api" }
