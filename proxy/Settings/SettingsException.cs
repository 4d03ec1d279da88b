namespace Gateway.Proxy.Settings;

/// <summary>A configuration mistake the operator must fix; its message is one line that says which.</summary>
public sealed class SettingsException(string message) : Exception(message);
