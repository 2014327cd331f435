using Hangfire.Logging;
using HangfireLogLevel = Hangfire.Logging.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace VagaVaraDigital.Api.Jobs;

/// <summary>
/// Hangfire's logging is process-wide (static), while hosts come and go (tests build several, the CLI one).
/// This provider forwards to the most recent host's logger factory at the time of each message and drops
/// messages once that factory is gone, instead of failing like Hangfire's own provider then does.
/// </summary>
sealed class HangfireLogProvider : ILogProvider
{
    static volatile ILoggerFactory? _current;

    public static HangfireLogProvider Use(ILoggerFactory factory)
    {
        _current = factory;
        return new HangfireLogProvider();
    }

    public ILog GetLogger(string name) => new Log(name);

    sealed class Log(string name) : ILog
    {
        bool ILog.Log(HangfireLogLevel logLevel, Func<string>? messageFunc, Exception? exception)
        {
            try
            {
                var logger = _current?.CreateLogger(name);
                if (logger is null) return false;
                var level = logLevel switch
                {
                    HangfireLogLevel.Trace => LogLevel.Trace,
                    HangfireLogLevel.Debug => LogLevel.Debug,
                    HangfireLogLevel.Info => LogLevel.Information,
                    HangfireLogLevel.Warn => LogLevel.Warning,
                    HangfireLogLevel.Error => LogLevel.Error,
                    _ => LogLevel.Critical,
                };
                if (messageFunc is null) return logger.IsEnabled(level);
                if (!logger.IsEnabled(level)) return false;
                logger.Log(level, 0, exception, "{Message}", messageFunc());
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
