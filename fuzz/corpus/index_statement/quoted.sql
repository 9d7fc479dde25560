-- c
/* a /* b */ */ create unique index concurrently "Odd ""N"" " on only app."Items" using btree (id)