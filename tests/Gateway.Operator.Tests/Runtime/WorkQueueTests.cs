using Gateway.Operator.Runtime;

namespace Gateway.Operator.Tests.Runtime;

public class WorkQueueTests
{
    static async Task<string?> TryTakeAsync(WorkQueue queue, int milliseconds = 200)
    {
        using var timeout = new CancellationTokenSource(milliseconds);
        try
        {
            return await queue.TakeAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_key_added_many_times_is_processed_once()
    {
        using var queue = new WorkQueue();
        queue.Add("ns/a");
        queue.Add("ns/a");
        queue.Add("ns/b");

        Assert.Equal("ns/a", await TryTakeAsync(queue));
        Assert.Equal("ns/b", await TryTakeAsync(queue));
        Assert.Null(await TryTakeAsync(queue));
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_out_again_until_done_then_runs_once_more()
    {
        using var queue = new WorkQueue();
        queue.Add("ns/a");
        var first = await TryTakeAsync(queue);

        queue.Add("ns/a");
        queue.Add("ns/a");
        Assert.Null(await TryTakeAsync(queue));

        queue.Done(first!);
        Assert.Equal("ns/a", await TryTakeAsync(queue));
        queue.Done("ns/a");
        Assert.Null(await TryTakeAsync(queue));
    }

    [Fact]
    public void Failures_back_off_exponentially_and_success_resets_the_backoff()
    {
        using var queue = new WorkQueue { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };
        var delays = Enumerable.Range(0, 5).Select(_ => queue.AddRateLimited("ns/a").TotalMilliseconds).ToList();
        Assert.Equal([10, 20, 40, 50, 50], delays);

        queue.Forget("ns/a");
        Assert.Equal(10, queue.AddRateLimited("ns/a").TotalMilliseconds);
        Assert.Equal(10, queue.AddRateLimited("ns/b").TotalMilliseconds);
    }

    [Fact]
    public async Task A_delayed_key_arrives_after_its_delay()
    {
        using var queue = new WorkQueue();
        var started = DateTime.UtcNow;
        queue.AddAfter("ns/a", TimeSpan.FromMilliseconds(150));
        Assert.Equal("ns/a", await TryTakeAsync(queue, 2000));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(140));
    }
}
