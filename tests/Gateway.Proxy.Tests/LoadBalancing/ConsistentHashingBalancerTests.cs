using Gateway.Proxy.LoadBalancing;
using static Gateway.Proxy.Tests.LoadBalancing.BalancerFixtures;

namespace Gateway.Proxy.Tests.LoadBalancing;

public class ConsistentHashingBalancerTests
{
    private static readonly HashKey ByIp = new("ip", null);

    private static ConsistentHashingBalancer Create(BalancerTarget[] targets, HashKey? key = null, HashKey? fallback = null) =>
        new(targets, 10000, key ?? ByIp, fallback ?? HashKey.None, "/");

    private static string Ip(int i) => "192.168." + (i / 250) + "." + (i % 250 + 1);

    [Fact]
    public void The_same_client_always_reaches_the_same_target()
    {
        var balancer = Create(Targets(100, 100, 100));

        for (var i = 0; i < 50; i++)
        {
            var first = balancer.PickOnce(Context(Ip(i)));
            Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(first, balancer.PickOnce(Context(Ip(i)))));
        }
    }

    [Fact]
    public void Clients_spread_in_proportion_to_the_weights()
    {
        var balancer = Create(Targets(100, 200, 100));

        var counts = balancer.Distribution(8000, i => Context(Ip(i)));

        Assert.InRange(counts[0], 1600, 2400);
        Assert.InRange(counts[1], 3400, 4600);
        Assert.InRange(counts[2], 1600, 2400);
    }

    [Fact]
    public void Adding_a_target_moves_only_the_clients_it_takes_over()
    {
        var before = Create(Targets(100, 100, 100));
        var after = Create(Targets(100, 100, 100, 100));
        var moved = 0;
        const int clients = 4000;

        for (var i = 0; i < clients; i++)
        {
            var old = before.PickOnce(Context(Ip(i)));
            var now = after.PickOnce(Context(Ip(i)));
            if (now != old)
            {
                moved++;
                Assert.Equal(3, now);
            }
        }

        // About a quarter of the clients move, all of them to the new target.
        Assert.InRange(moved, clients / 4 - 300, clients / 4 + 300);
    }

    [Fact]
    public void Removing_a_target_keeps_every_other_client_where_it_was()
    {
        var targets = Targets(100, 100, 100, 100);
        var before = Create(targets);
        var after = Create([targets[0], targets[1], targets[3]]);

        for (var i = 0; i < 2000; i++)
        {
            var old = before.PickOnce(Context(Ip(i)));
            if (old == 2) continue;
            var now = after.PickOnce(Context(Ip(i)));
            Assert.Equal(targets[old], after.Targets[now]);
        }
    }

    [Fact]
    public void The_ring_does_not_depend_on_the_order_targets_are_listed_in()
    {
        var targets = Targets(100, 50, 25);
        var forward = new HashRing(targets, 1000);
        var backward = new HashRing([targets[2], targets[1], targets[0]], 1000);

        for (var slot = 0; slot < 1000; slot++)
            Assert.Equal(targets[forward.OwnerOf(slot)], targets[2 - backward.OwnerOf(slot)]);
    }

    [Fact]
    public void A_retry_walks_on_to_another_target()
    {
        var balancer = Create(Targets(100, 100, 100));
        var state = new BalancerState();

        var first = balancer.Pick(Context("10.1.1.1"), ref state);
        var second = balancer.Pick(Context("10.1.1.1"), ref state);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Hashing_on_a_header_falls_back_to_the_client_ip()
    {
        var balancer = Create(Targets(100, 100, 100, 100, 100), new HashKey("header", "x-user"), ByIp);
        var byHeader = Enumerable.Range(0, 40).Select(i => balancer.PickOnce(Context(Ip(i), headers: ("x-user", "ada")))).Distinct();
        var byIp = Enumerable.Range(0, 40).Select(i => balancer.PickOnce(Context(Ip(i)))).Distinct();

        Assert.Single(byHeader);
        Assert.True(byIp.Count() > 1);
    }

    [Fact]
    public void Hashing_on_the_path_sends_a_path_to_one_target()
    {
        var balancer = Create(Targets(100, 100, 100), new HashKey("path", null));

        var picks = Enumerable.Range(0, 20).Select(i => balancer.PickOnce(Context(Ip(i), path: "/catalog/42"))).Distinct();

        Assert.Single(picks);
    }

    [Fact]
    public void A_missing_hash_cookie_is_generated_for_the_client_to_keep()
    {
        var balancer = Create(Targets(100, 100), new HashKey("cookie", "affinity"));
        var state = new BalancerState();

        balancer.Pick(Context(), ref state);

        Assert.NotNull(state.NewCookieValue);
        Assert.Equal("affinity", balancer.CookieName);

        var withCookie = Context(headers: ("Cookie", "affinity=" + state.NewCookieValue));
        var again = new BalancerState();
        Assert.Equal(state.Previous, balancer.Pick(withCookie, ref again));
        Assert.Null(again.NewCookieValue);
    }

    [Fact]
    public void The_hash_is_the_same_in_every_process()
    {
        // Pinned value (FNV-1a over UTF-16 code units, SplitMix64 finaliser): changing the hash would send every client of every replica to another target.
        Assert.Equal(StableHash.Of("10.0.0.1"), StableHash.Of("10.0.0.1".AsSpan()));
        Assert.Equal(0x2903BD44B50DB516UL, StableHash.Of("tollgate"));
    }
}
