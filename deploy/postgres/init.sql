-- One database per service (compose runs this on a fresh data volume; servers.sh does the same natively).
create database "order";
create database "warranty";
create database "repairdispatch";
create database "arbitration";
