RepairDispatch.Service.RepairDispatchService.Create(args).Run();
