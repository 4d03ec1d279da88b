// The operator (ApiGateway reconciliation) is not built yet. Until it is, this executable says so
// and exits non-zero instead of pretending to manage anything.
Console.Error.WriteLine("tollgate operator: ApiGateway reconciliation is not available in this build");
return 1;
