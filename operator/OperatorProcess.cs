namespace Gateway.Operator;

/// <summary>Runs the operator until SIGTERM.</summary>
public static class OperatorProcess
{
    public static Task<int> RunAsync() =>
        throw new OperatorStartupException("the controller runtime is not wired yet");
}
