using System.Net;
using Gateway.Proxy.LoadBalancing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Tests.LoadBalancing;

internal static class BalancerFixtures
{
    public static BalancerTarget[] Targets(params int[] weights)
    {
        var targets = new BalancerTarget[weights.Length];
        for (var i = 0; i < weights.Length; i++) targets[i] = new BalancerTarget("10.0.0." + (i + 1), 8000, weights[i]);
        return targets;
    }

    public static HttpContext Context(string? ip = null, string path = "/", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        if (ip is not null) context.Connection.RemoteIpAddress = IPAddress.Parse(ip);
        foreach (var (name, value) in headers) context.Request.Headers.Append(name, value);
        return context;
    }

    /// <summary>The first pick of a fresh request.</summary>
    public static int PickOnce(this Balancer balancer, HttpContext context)
    {
        var state = new BalancerState();
        return balancer.Pick(context, ref state);
    }

    /// <summary>How many of <paramref name="picks"/> first tries went to each target.</summary>
    public static int[] Distribution(this Balancer balancer, int picks, Func<int, HttpContext>? context = null)
    {
        var counts = new int[balancer.Targets.Length];
        for (var i = 0; i < picks; i++)
        {
            var target = balancer.PickOnce(context?.Invoke(i) ?? Context());
            counts[target]++;
            balancer.Release(target);
        }
        return counts;
    }
}
