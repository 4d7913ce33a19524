/// Whether a notification (or one alert in it) reports a problem or its end.
public enum NotificationStatus: String, Sendable { case firing, resolved }
