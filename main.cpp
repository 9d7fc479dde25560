#include "cli/app.h"

int main(int argc, char** argv)
{
    return vidb::run(argc, argv);
}
