namespace Gateway.Operator.Runtime;

/// <summary>Waiting between attempts: a wait that stopping cuts short ends quietly, and the caller's loop sees the stop.</summary>
static class Pause
{
    public static async Task ForAsync(TimeSpan delay, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(delay, cancel);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
