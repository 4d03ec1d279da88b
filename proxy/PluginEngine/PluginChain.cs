using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.PluginEngine;

/// <summary>
/// The plugins of one route, in execution order (priority, highest first). Precomputed per snapshot; a request
/// walks it once per phase. Which configuration of a plugin applies is decided when its turn comes, so plugins
/// after authentication see the consumer's own configuration.
/// </summary>
public sealed class PluginChain
{
    public PluginChain(PluginSlot[] slots)
    {
        Slots = slots;
    }

    public PluginSlot[] Slots { get; }

    /// <summary>Runs the access phase until a plugin answers the request or the chain ends.</summary>
    public ValueTask RunAccessAsync(PluginContext context) => RunAccessFrom(context, 0);

    private ValueTask RunAccessFrom(PluginContext context, int first)
    {
        for (var i = first; i < Slots.Length; i++)
        {
            var pending = RunAccess(context, i);
            if (!pending.IsCompletedSuccessfully) return ContinueAsync(context, pending, i);
            if (context.HasExited) break;
        }
        return ValueTask.CompletedTask;
    }

    // Only a plugin that really waits (a Redis round trip) pays for an async state machine.
    private async ValueTask ContinueAsync(PluginContext context, ValueTask pending, int slot)
    {
        await pending;
        if (!context.HasExited) await RunAccessFrom(context, slot + 1);
    }

    /// <summary>The access phase of the handler that applies at <paramref name="slot"/>, if one does.</summary>
    private ValueTask RunAccess(PluginContext context, int slot)
    {
        var handler = Slots[slot].Resolve(context.Consumer?.Id);
        if (handler is null || !handler.Accepts(context.Http.Request.IsHttps)) return ValueTask.CompletedTask;
        context.Ran[slot] = handler;
        context.CurrentSlot = slot;
        return handler.AccessAsync(context);
    }

    /// <summary>Lets every plugin that ran adjust the response headers, in priority order.</summary>
    public static void RunHeaderFilters(PluginContext context, HttpResponse response)
    {
        var ran = context.Ran;
        for (var i = 0; i < ran.Length; i++)
        {
            if (ran[i] is not { } handler) continue;
            context.CurrentSlot = i;
            handler.HeaderFilter(context, response);
        }
    }

    /// <summary>Whether any plugin that ran wants to rewrite this response's body.</summary>
    public static bool WantsResponseBody(PluginContext context, HttpResponse response)
    {
        var ran = context.Ran;
        for (var i = 0; i < ran.Length; i++)
        {
            if (ran[i] is not { } handler) continue;
            context.CurrentSlot = i;
            if (handler.WantsResponseBody(context, response)) return true;
        }
        return false;
    }

    public static byte[] RunBodyFilters(PluginContext context, HttpResponse response, byte[] body)
    {
        var ran = context.Ran;
        for (var i = 0; i < ran.Length; i++)
        {
            if (ran[i] is not { } handler) continue;
            context.CurrentSlot = i;
            body = handler.BodyFilter(context, response, body);
        }
        return body;
    }
}
