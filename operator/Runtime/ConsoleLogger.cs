using Microsoft.Extensions.Logging;

namespace Gateway.Operator.Runtime;

/// <summary>One line per message on stderr: time, level, category, message. Enough for a container log.</summary>
public sealed class ConsoleLoggerFactory(LogLevel minimum) : ILoggerFactory
{
    static readonly object Gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName[(categoryName.LastIndexOf('.') + 1)..], minimum);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    sealed class Logger(string category, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {Level(logLevel)} {category}: {formatter(state, exception)}";
            lock (Gate)
                Console.Error.WriteLine(line);
        }

        static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
