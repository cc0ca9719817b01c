module rtbenchtwins

go 1.19
