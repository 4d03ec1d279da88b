using System.Text;
using Grpc.Core;

namespace Gateway.Proxy.IntegrationTests.Proxying.Grpc;

/// <summary>
/// A small gRPC service declared by hand (messages are UTF-8 strings, so no code generation is needed), served by
/// Grpc.AspNetCore in <see cref="GrpcUpstream"/>. Each call says what it saw in response headers and trailers.
/// Grpc.AspNetCore binds only virtual methods of the type <see cref="BindServiceMethodAttribute"/> names, hence no sealing.
/// </summary>
[BindServiceMethod(typeof(Greeter), nameof(BindService))]
public class Greeter(GreeterLog log)
{
    private const string ServiceName = "tollgate.test.Greeter";
    private static readonly Marshaller<string> Text = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);

    /// <summary>Answers "hello NAME"; a header and a trailer carry the name too.</summary>
    public static readonly Method<string, string> SayHelloMethod = new(MethodType.Unary, ServiceName, nameof(SayHello), Text, Text);

    /// <summary>
    /// Answers every message "echo: MESSAGE" as it arrives; the trailer x-messages counts them. After "bye" it ends the
    /// call without waiting for the client to end its stream.
    /// </summary>
    public static readonly Method<string, string> ChatMethod = new(MethodType.DuplexStreaming, ServiceName, nameof(Chat), Text, Text);

    /// <summary>"COUNT GAP_MS": sends COUNT messages "tick N", GAP_MS apart.</summary>
    public static readonly Method<string, string> TicksMethod = new(MethodType.ServerStreaming, ServiceName, nameof(Ticks), Text, Text);

    /// <summary>Never answers; it waits until the call is cancelled (by its deadline, say).</summary>
    public static readonly Method<string, string> HangMethod = new(MethodType.Unary, ServiceName, nameof(Hang), Text, Text);

    public static void BindService(ServiceBinderBase binder, Greeter? service)
    {
        binder.AddMethod(SayHelloMethod, service is null ? null : service.SayHello);
        binder.AddMethod(ChatMethod, service is null ? null : service.Chat);
        binder.AddMethod(TicksMethod, service is null ? null : service.Ticks);
        binder.AddMethod(HangMethod, service is null ? null : service.Hang);
    }

    public virtual async Task<string> SayHello(string name, ServerCallContext context)
    {
        log.Record(context);
        await context.WriteResponseHeadersAsync(new Metadata { { "x-greeting-header", name } });
        context.ResponseTrailers.Add("x-greeting-trailer", name);
        return "hello " + name;
    }

    public virtual async Task Chat(IAsyncStreamReader<string> requests, IServerStreamWriter<string> responses, ServerCallContext context)
    {
        log.Record(context);
        var count = 0;
        await foreach (var message in requests.ReadAllAsync(context.CancellationToken))
        {
            count++;
            await responses.WriteAsync("echo: " + message, context.CancellationToken);
            if (message == "bye") break;
        }
        context.ResponseTrailers.Add("x-messages", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public virtual async Task Ticks(string request, IServerStreamWriter<string> responses, ServerCallContext context)
    {
        log.Record(context);
        var parts = request.Split(' ');
        var count = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var gap = TimeSpan.FromMilliseconds(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 1; i <= count; i++)
        {
            if (i > 1) await Task.Delay(gap, context.CancellationToken);
            await responses.WriteAsync("tick " + i, context.CancellationToken);
        }
    }

    public virtual async Task<string> Hang(string request, ServerCallContext context)
    {
        log.Record(context);
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            log.RecordCancelled();
            throw;
        }
        return request;
    }
}

/// <summary>What the upstream's calls saw: the deadline each received, the protocol, and cancellations.</summary>
public sealed class GreeterLog
{
    private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTime _lastDeadline;
    private string? _lastProtocol;

    /// <summary>The deadline the last call carried (DateTime.MaxValue without one), in UTC.</summary>
    public DateTime LastDeadline => _lastDeadline;

    /// <summary>The HTTP protocol the last call reached the upstream with ("HTTP/2").</summary>
    public string? LastProtocol => _lastProtocol;

    /// <summary>Completes when a hanging call is cancelled.</summary>
    public Task Cancelled => _cancelled.Task;

    internal void Record(ServerCallContext context)
    {
        _lastDeadline = context.Deadline;
        _lastProtocol = context.GetHttpContext().Request.Protocol;
    }

    internal void RecordCancelled() => _cancelled.TrySetResult();
}
