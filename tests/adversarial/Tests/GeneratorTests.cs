using Gateway.Adversarial.Generation;

namespace Gateway.Adversarial.Tests;

/// <summary>The generators are pure: a seed and an index make one request, whatever else was generated before.</summary>
public sealed class GeneratorTests
{
    private const int Seed = HarnessSettings.DefaultSeed;

    public static TheoryData<AdminStore> Stores => [AdminStore.DbLess, AdminStore.Postgres];

    [Theory]
    [MemberData(nameof(Stores))]
    public void Admin_cases_are_the_same_for_the_same_seed_and_index(AdminStore store)
    {
        var first = new AdminCaseGenerator(store);
        var second = new AdminCaseGenerator(store);
        var inOrder = Enumerable.Range(0, 200).Select(i => first.Generate(Seed, i)).ToArray();
        foreach (var index in Enumerable.Range(0, 200).Reverse())
            Assert.Equal(inOrder[index].Bytes, second.Generate(Seed, index).Bytes);
    }

    [Fact]
    public void Proxy_cases_are_the_same_for_the_same_seed_and_index()
    {
        var inOrder = Enumerable.Range(0, 300).Select(i => ProxyCaseGenerator.Generate(Seed, i)).ToArray();
        foreach (var index in Enumerable.Range(0, 300).Reverse())
        {
            var again = ProxyCaseGenerator.Generate(Seed, index);
            Assert.Equal(inOrder[index].Bytes, again.Bytes);
            Assert.Equal(inOrder[index].Parts.Select(p => p.DelayMs), again.Parts.Select(p => p.DelayMs));
        }
    }

    [Fact]
    public void Another_seed_makes_other_requests()
    {
        var admin = new AdminCaseGenerator(AdminStore.Postgres);
        var sameAdmin = Enumerable.Range(0, 100).Count(i => admin.Generate(Seed, i).Bytes.SequenceEqual(admin.Generate(Seed + 1, i).Bytes));
        var sameProxy = Enumerable.Range(0, 100).Count(i => ProxyCaseGenerator.Generate(Seed, i).Bytes.SequenceEqual(ProxyCaseGenerator.Generate(Seed + 1, i).Bytes));
        Assert.True(sameAdmin < 20, $"{sameAdmin} of 100 admin cases did not change with the seed");
        Assert.True(sameProxy < 20, $"{sameProxy} of 100 proxy cases did not change with the seed");
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public void A_small_admin_run_has_every_attack_class(AdminStore store)
    {
        var generator = new AdminCaseGenerator(store);
        var seen = Enumerable.Range(0, 600).Select(i => generator.Generate(Seed, i).Class).ToHashSet();
        Assert.Equal(AdminCaseGenerator.Classes.Order(), seen.Order());
    }

    [Fact]
    public void A_small_proxy_run_has_every_attack_class()
    {
        var seen = Enumerable.Range(0, 1000).Select(i => ProxyCaseGenerator.Generate(Seed, i).Class).ToHashSet();
        Assert.Equal(ProxyCaseGenerator.Classes.Order(), seen.Order());
    }

    [Fact]
    public void Every_proxy_case_names_itself_to_the_upstream()
    {
        foreach (var index in Enumerable.Range(0, 500))
        {
            var text = WireText.ByteString(ProxyCaseGenerator.Generate(Seed, index).Bytes);
            Assert.Contains($"{ProxyFixture.CaseHeader}: {index}\r\n", text);
        }
    }

    [Fact]
    public void Slow_cases_stay_short()
    {
        var slow = Enumerable.Range(0, 3000).Select(i => ProxyCaseGenerator.Generate(Seed, i)).Where(c => c.Class == "slow").ToArray();
        Assert.NotEmpty(slow);
        Assert.All(slow, c => Assert.True(c.Parts.Sum(p => p.DelayMs) <= 1000, c.ToString()));
    }
}
