SELECT "a;""b", U&"c;" FROM "t;";
