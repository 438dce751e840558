using Arbitration.Service;

ArbitrationService.Create(args).Run();
