namespace Gateway.Adversarial.Tests;

/// <summary>The harness runs start gateway processes and load them hard: one at a time, and not beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HarnessCollection
{
    public const string Name = "adversarial harness";
}
