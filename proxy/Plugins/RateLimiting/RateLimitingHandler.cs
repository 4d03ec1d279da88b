using Gateway.Proxy.PluginEngine;
using Gateway.Proxy.RateLimits;
using Gateway.Proxy.RequestPaths;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Plugins.RateLimiting;

/// <summary>
/// Kong's rate-limiting: counts each request in fixed windows (second to year) per consumer, credential, client
/// address, service, header value or path, refuses it with 429 once a window is full, and tells the client where it
/// stands in headers. Counts stay on the node (local) or are shared exactly by every node through Redis.
/// </summary>
public sealed class RateLimitingHandler : PluginHandler
{
    public const string Name = "rate-limiting";

    /// <summary>Kong's answer when the counters cannot be reached and fault_tolerant is off.</summary>
    public const string CountersUnavailable = "An unexpected error occurred";

    public static readonly PluginDefinition Registration =
        PluginDefinition.Create<RateLimitingConfig>(Name, 910, (config, setup) => new RateLimitingHandler(config, setup));

    private readonly RateLimitingConfig _config;
    private readonly WindowLimits _limits;
    private readonly string[] _limitTexts;
    private readonly LocalCounters _local;
    private readonly RedisCounters? _redis;
    private readonly TimeProvider _clock;

    // limit_by path compares with the request's canonical path, so the configured path is put in that form too.
    private readonly string? _path;
    private CounterScope? _scope;

    public RateLimitingHandler(RateLimitingConfig config, PluginSetup setup)
    {
        _config = config;
        _path = config.Path is null ? null : CanonicalPath.ForRoutePrefix(config.Path);
        _limits = new WindowLimits(config.Limits());
        _limitTexts = _limits.Items.Select(l => RateLimitReport.Text(l.Limit)).ToArray();
        _clock = setup.Services.Clock;
        var counters = setup.Services.Get<RateLimitCounters>() ?? RateLimitCounters.LocalOnly;
        _local = counters.Local;
        _redis = config.Policy switch
        {
            "redis" => config.OwnRedis() is { } own ? counters.At(own) : counters.Gateway,
            "cluster" => counters.Gateway,
            _ => null,
        };
        if (_redis is null && config.Policy != "local") counters.WarnNoRedis(config.Policy);
    }

    /// <summary>Counters belong to the route and service the plugin is configured on, as Kong keys them.</summary>
    private CounterScope Scope => _scope ??= new CounterScope(Plugin.Route?.Id ?? Guid.Empty, Plugin.Service?.Id ?? Guid.Empty);

    public override ValueTask AccessAsync(PluginContext context)
    {
        var identity = Identify(context);
        var now = _clock.GetUtcNow();
        if (_redis is null)
        {
            Decide(context, _local.Count(Scope, identity, _limits, now), now);
            return ValueTask.CompletedTask;
        }
        var counting = _redis.CountAsync(Scope, identity, _limits, now, _config.FaultTolerant);
        if (!counting.IsCompletedSuccessfully) return DecideLaterAsync(context, counting, now);
        Decide(context, counting.Result, now);
        return ValueTask.CompletedTask;
    }

    private async ValueTask DecideLaterAsync(PluginContext context, ValueTask<CountResult> counting, DateTimeOffset now) =>
        Decide(context, await counting, now);

    private void Decide(PluginContext context, in CountResult result, DateTimeOffset now)
    {
        if (result.Verdict == CountVerdict.Unavailable)
        {
            context.Exit(StatusCodes.Status500InternalServerError, CountersUnavailable);
            return;
        }
        if (!_config.HideClientHeaders) context.SetState(new Outcome(result, now));
        if (result.Verdict == CountVerdict.Limited) context.Exit(_config.ErrorCode, _config.ErrorMessage);
    }

    /// <summary>Who is counted; the client address whenever the configured identity is missing, as in Kong.</summary>
    private CounterIdentity Identify(PluginContext context)
    {
        switch (_config.LimitBy)
        {
            case "consumer":
                if (context.Consumer is { } consumer) return CounterIdentity.Of(consumer.Id);
                if (context.CredentialId is { } credentialOfNobody) return CounterIdentity.Of(credentialOfNobody);
                break;
            case "credential":
                if (context.CredentialId is { } credential) return CounterIdentity.Of(credential);
                break;
            case "service":
                return CounterIdentity.Of(context.Exchange.Service.Service.Id);
            case "header":
                var value = context.Http.Request.Headers[_config.HeaderName!];
                if (value.Count > 0 && !string.IsNullOrEmpty(value[0])) return CounterIdentity.Of(value[0]!);
                break;
            case "path":
                if (string.Equals(context.Exchange.RequestPath, _path, StringComparison.Ordinal))
                    return CounterIdentity.Of(_path!);
                break;
        }
        return CounterIdentity.Of(context.ClientIp);
    }

    public override void HeaderFilter(PluginContext context, HttpResponse response)
    {
        if (context.GetState<Outcome>() is not { } outcome) return;
        var headers = response.Headers;
        var items = _limits.Items;
        for (var i = 0; i < items.Length; i++)
        {
            headers[RateLimitReport.LimitHeader(items[i].Period)] = _limitTexts[i];
            headers[RateLimitReport.RemainingHeader(items[i].Period)] =
                RateLimitReport.Text(RateLimitReport.RemainingOf(items[i].Limit, outcome.Result.Counts[i]));
        }
        var chosen = RateLimitReport.MostConstraining(_limits, outcome.Result);
        var reset = RateLimitReport.Text(RatePeriods.SecondsToReset(items[chosen].Period, outcome.Now));
        headers[RateLimitReport.Limit] = _limitTexts[chosen];
        headers[RateLimitReport.Remaining] = RateLimitReport.Text(RateLimitReport.RemainingOf(items[chosen].Limit, outcome.Result.Counts[chosen]));
        headers[RateLimitReport.Reset] = reset;
        if (outcome.Result.Verdict == CountVerdict.Limited) headers[RateLimitReport.RetryAfter] = reset;
    }

    /// <summary>What this request's count found, kept for the response headers.</summary>
    private sealed class Outcome(CountResult result, DateTimeOffset now)
    {
        public readonly CountResult Result = result;
        public readonly DateTimeOffset Now = now;
    }
}
