echo "running in $(pwd) as $(id -un)"
cat /tour/message.txt
