using Gateway.Operator.Manifests;

namespace Gateway.Operator;

/// <summary>The operator executable's commands. Failures end with one line on stderr and a non-zero exit.</summary>
public static class OperatorCommandLine
{
    public const string Usage = """
        usage: Gateway.Operator [command]
          run                     run the operator (default)
          manifests [DIRECTORY]   write the generated manifests (CRD, RBAC, Deployment, kustomizations) into DIRECTORY (default: config)
          version                 print the version
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return args switch
            {
                [] or ["run"] => await OperatorProcess.RunAsync(),
                ["manifests"] => WriteManifests("config"),
                ["manifests", var directory] => WriteManifests(directory),
                ["version" or "--version"] => Print("tollgate-operator " + Entities.ApiGatewaySpec.DefaultVersion),
                ["help" or "--help" or "-h"] => Print(Usage),
                _ => Fail($"unknown command '{string.Join(' ', args)}'; run 'Gateway.Operator help' for the list"),
            };
        }
        catch (OperatorStartupException error)
        {
            return Fail(error.Message);
        }
    }

    static int WriteManifests(string directory)
    {
        foreach (var (path, content) in OperatorManifests.Files())
        {
            var target = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, content);
            Console.WriteLine(target);
        }
        return 0;
    }

    static int Print(string text)
    {
        Console.WriteLine(text);
        return 0;
    }

    static int Fail(string message)
    {
        Console.Error.WriteLine("tollgate-operator: " + message);
        return 1;
    }
}

/// <summary>A problem that stops the operator before it starts (no cluster configuration, bad settings).</summary>
public sealed class OperatorStartupException(string message) : Exception(message);
