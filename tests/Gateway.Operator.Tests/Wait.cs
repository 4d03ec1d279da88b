namespace Gateway.Operator.Tests;

/// <summary>
/// Polling for conditions that other threads (watches, workers) make true. The default limit is generous because a
/// loaded machine can take seconds per reconcile; a condition that holds returns at once.
/// </summary>
static class Wait
{
    public static Task UntilAsync(Func<bool> condition, string what, double seconds = 20) =>
        UntilAsync(() => Task.FromResult(condition()), () => what, seconds);

    public static Task UntilAsync(Func<Task<bool>> condition, string what, double seconds = 20) =>
        UntilAsync(condition, () => what, seconds);

    /// <summary>With the description made when the wait times out, so that it can tell the state it ended in.</summary>
    public static Task UntilAsync(Func<bool> condition, Func<string> what, double seconds = 20) =>
        UntilAsync(() => Task.FromResult(condition()), what, seconds);

    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {seconds}s waiting until {what()}");
            await Task.Delay(10);
        }
    }
}
